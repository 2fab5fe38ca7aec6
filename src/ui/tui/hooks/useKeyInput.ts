import { useInput, type Key } from 'ink';

type Handler = (input: string, key: Key) => void;

/**
 * The keys a run of typed characters was. Ink hands a run without escape sequences to `useInput` as one
 * event (`" \r"` when space and ⏎ arrive together, `"group/app\r"` from a paste), so a binding that looks
 * for one key would miss every key of it. Each character becomes its own event: `\r`/`\n` is ⏎ and `\t` is
 * Tab, as Ink reports them when they come alone.
 */
export function splitTyped(input: string, key: Key): Array<[input: string, key: Key]> {
  if (input.length <= 1 || key.ctrl || key.meta) return [[input, key]];
  // A newline as Windows terminals and some pastes send it (\r\n) is one ⏎.
  return Array.from(input.replace(/\r\n/g, '\r'), (ch): [string, Key] => {
    if (ch === '\r' || ch === '\n') return ['', { ...key, return: true }];
    if (ch === '\t') return ['', { ...key, tab: true }];
    return [ch, { ...key, shift: /[A-Z]/.test(ch) }];
  });
}

/** `useInput`, one call per key even when several arrive in one read of stdin. */
export function useKeyInput(handler: Handler, options: { isActive?: boolean } = {}): void {
  useInput((input, key) => {
    for (const [one, oneKey] of splitTyped(input, key)) handler(one, oneKey);
  }, options);
}
