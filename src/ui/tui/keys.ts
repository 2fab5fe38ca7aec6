import type { Key } from 'ink';
import type { Question } from '../../core/kernel/questions.js';

/**
 * Key bindings as data: the same arrays feed `useKeymap` (what a key does) and `KeyHints`
 * (what the bottom bar says), so help text cannot drift from behaviour.
 */

export type BindingId =
  'up' | 'down' | 'select' | 'submit' | 'confirm-default' | 'yes' | 'no' | 'type' | 'toggle' | 'back' | 'quit' | 'cancel';

export interface Binding {
  id: BindingId;
  /** What the hint bar shows; null when another binding's hint already covers it (↓ under "↑↓ move"). */
  hint: { keys: string; label: string } | null;
  matches: (input: string, key: Key) => boolean;
}

const plain = (key: Key): boolean => !key.ctrl && !key.meta;

const UP: Binding = {
  id: 'up',
  hint: { keys: '↑↓', label: 'move' },
  matches: (input, key) => key.upArrow || (plain(key) && input === 'k'),
};
const DOWN: Binding = {
  id: 'down',
  hint: null,
  matches: (input, key) => key.downArrow || (plain(key) && input === 'j'),
};
/** Arrow-only variants for screens where j/k are text. */
const ARROW_UP: Binding = { id: 'up', hint: UP.hint, matches: (_input, key) => key.upArrow };
const ARROW_DOWN: Binding = { id: 'down', hint: null, matches: (_input, key) => key.downArrow };
const SELECT: Binding = {
  id: 'select',
  hint: { keys: '⏎', label: 'select' },
  matches: (_input, key) => key.return,
};
const SUBMIT: Binding = {
  id: 'submit',
  hint: { keys: '⏎', label: 'submit' },
  matches: (_input, key) => key.return,
};
const YES: Binding = {
  id: 'yes',
  hint: { keys: 'y', label: 'yes' },
  matches: (input, key) => plain(key) && input.toLowerCase() === 'y',
};
const NO: Binding = {
  id: 'no',
  hint: { keys: 'n', label: 'no' },
  matches: (input, key) => plain(key) && input.toLowerCase() === 'n',
};
const CONFIRM_DEFAULT: Binding = {
  id: 'confirm-default',
  hint: { keys: '⏎', label: 'default' },
  matches: (_input, key) => key.return,
};
const TOGGLE: Binding = {
  id: 'toggle',
  hint: { keys: 'space', label: 'toggle' },
  matches: (input, key) => plain(key) && input === ' ',
};
/** Hint only: typing is handled by the text field itself. */
const TYPE: Binding = { id: 'type', hint: { keys: 'type', label: 'to filter' }, matches: () => false };
const BACK: Binding = {
  id: 'back',
  hint: { keys: 'esc', label: 'back' },
  matches: (_input, key) => key.escape,
};
const QUIT: Binding = {
  id: 'quit',
  hint: { keys: 'q', label: 'quit' },
  matches: (input, key) => plain(key) && input === 'q',
};
const CANCEL: Binding = {
  id: 'cancel',
  hint: { keys: 'ctrl-c', label: 'cancel' },
  matches: (input, key) => key.ctrl && input === 'c',
};

export const MENU_KEYS: readonly Binding[] = [UP, DOWN, SELECT, QUIT, CANCEL];
/** While the main menu shows why an entry is unavailable. */
export const MENU_REASON_KEYS: readonly Binding[] = [UP, DOWN, BACK, QUIT, CANCEL];

/** What each question widget listens to (ctrl-c is the flow screen's, added by it). */
export const PROMPT_KEYS: Readonly<Record<Question['kind'], readonly Binding[]>> = {
  select: [UP, DOWN, SELECT],
  input: [SUBMIT],
  secret: [SUBMIT],
  confirm: [YES, NO, CONFIRM_DEFAULT],
  search: [TYPE, ARROW_UP, ARROW_DOWN, SELECT],
  multiselect: [UP, DOWN, TOGGLE, SUBMIT],
};

/** The results view: move, expand an item, leave. */
const EXPAND: Binding = { id: 'select', hint: { keys: '⏎', label: 'details' }, matches: (_input, key) => key.return };
export const RESULTS_KEYS: readonly Binding[] = [UP, DOWN, EXPAND, QUIT, { ...BACK, hint: null }, { ...CANCEL, hint: null }];

/** While cancelling: a second ctrl-c stops waiting for the flow (as in plain mode). */
const QUIT_NOW: Binding = { id: 'cancel', hint: { keys: 'ctrl-c', label: 'quit without waiting' }, matches: CANCEL.matches };
export const CANCELLING_KEYS: readonly Binding[] = [QUIT_NOW];

/** The flow screen's own keys: cancel always; back while a question allows it (or out to the menu). */
export const FLOW_KEYS: readonly Binding[] = [CANCEL];
export const FLOW_BACK_KEYS: readonly Binding[] = [BACK, CANCEL];
