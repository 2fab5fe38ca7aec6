import { Text } from 'ink';
import { useReducer, useRef } from 'react';
import { useKeyInput } from '../hooks/useKeyInput.js';
import { glyph, monochrome as PLAIN } from '../theme.js';

interface Props {
  value: string;
  onChange: (value: string) => void;
  onSubmit?: (value: string) => void;
  /** Draw every character as this (secrets). */
  mask?: string;
  placeholder?: string;
}

const CONTROL = /[\u0000-\u001f\u007f]/g;

/**
 * A one-line text field. Its value and cursor live in a ref updated per key, so keys that arrive in one
 * chunk (a paste, six Backspaces at once) all apply: each sees the one before it, not the last render.
 */
export function TextField({ value, onChange, onSubmit, mask, placeholder }: Props) {
  const state = useRef({ value, cursor: value.length, sent: value });
  // The parent replaced the value (not the one we sent): follow it, cursor at the end.
  if (value !== state.current.sent) state.current = { value, cursor: value.length, sent: value };
  const [, redraw] = useReducer((n: number) => n + 1, 0);

  useKeyInput((input, key) => {
    if (key.upArrow || key.downArrow || key.tab || key.escape || (key.ctrl && input === 'c')) return;
    const s = state.current;
    if (key.return) {
      onSubmit?.(s.value);
      return;
    }
    let { value: v, cursor: c } = s;
    if (key.leftArrow) c = Math.max(0, c - 1);
    else if (key.rightArrow) c = Math.min(v.length, c + 1);
    else if (key.backspace || key.delete) {
      if (c > 0) {
        v = v.slice(0, c - 1) + v.slice(c);
        c -= 1;
      }
    } else if (!key.ctrl && !key.meta && input) {
      const typed = input.replace(CONTROL, '');
      v = v.slice(0, c) + typed + v.slice(c);
      c += typed.length;
    } else return;
    const changed = v !== s.value;
    state.current = { value: v, cursor: c, sent: changed ? v : s.sent };
    redraw();
    if (changed) onChange(v);
  });

  const { value: v, cursor: c } = state.current;
  if (v.length === 0 && placeholder) {
    return (
      <Text>
        {PLAIN ? glyph.cursor : <Text inverse>{placeholder[0]}</Text>}
        <Text dimColor>{PLAIN ? placeholder : placeholder.slice(1)}</Text>
      </Text>
    );
  }
  const shown = mask ? mask.repeat(v.length) : v;
  const at = shown[c] ?? ' ';
  return (
    <Text>
      {shown.slice(0, c)}
      {PLAIN ? <Text>{c < shown.length ? `${glyph.cursor}${at}` : glyph.cursor}</Text> : <Text inverse>{at}</Text>}
      {shown.slice(c + 1)}
    </Text>
  );
}
