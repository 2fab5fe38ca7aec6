/**
 * Every color and glyph the TUI draws with. Components never name a color themselves, so
 * NO_COLOR (the CLI sets FORCE_COLOR=0 before ink loads) and any restyling happen here.
 */

/** No colour at all (NO_COLOR, or FORCE_COLOR=0 as the CLI sets it): inverse video is gone too. */
export const monochrome = process.env.NO_COLOR !== undefined || process.env.FORCE_COLOR === '0';

/** Ink `color` values (chalk names). */
export const color = {
  ok: 'green',
  error: 'red',
  warn: 'yellow',
  accent: 'cyan',
  muted: 'gray',
} as const;

export const glyph = {
  done: '✓',
  failed: '✗',
  skipped: '–',
  stopped: '■',
  warn: '!',
  info: 'ℹ',
  /** The highlighted choice. */
  pointer: '❯',
  /** In front of a text field. */
  field: '›',
  /** A text field's cursor when there is no inverse video (monochrome). */
  cursor: '▏',
  question: '?',
  next: '→',
  more: '…',
} as const;

/** Braille spinner frames, drawn from Ink's shared animation timer. */
export const spinnerFrames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'] as const;

/** What a secret looks like once answered: fixed width, so not even its length leaks. */
export const secretMask = '********';

export type ThemeColor = (typeof color)[keyof typeof color];

/** Live hints such as "✓ v1.35.7" or "✗ unreachable" get the color their leading glyph implies. */
export function hintColor(hint: string): ThemeColor {
  if (hint.startsWith(glyph.done)) return color.ok;
  if (hint.startsWith(glyph.failed)) return color.error;
  if (hint.startsWith(glyph.warn) || hint.startsWith('⚠')) return color.warn;
  return color.muted;
}
