import type { Choice } from '../../../core/kernel/questions.js';

/** Cursor movement over a choice list where disabled choices are shown but never land the cursor. */

/** Index of `preferred` when it is selectable, else of the first selectable choice, else -1. */
export function initialCursor(choices: readonly Choice[], preferred?: string): number {
  const wanted = choices.findIndex((c) => c.value === preferred && !c.disabled);
  return wanted >= 0 ? wanted : choices.findIndex((c) => !c.disabled);
}

/** Next selectable index in `direction`, wrapping around; stays put when nothing else is selectable. */
export function moveCursor(choices: readonly Choice[], from: number, direction: 1 | -1): number {
  const n = choices.length;
  for (let step = 1; step <= n; step++) {
    const i = (((from + direction * step) % n) + n) % n;
    if (!choices[i]?.disabled) return i;
  }
  return from;
}

/** First index of a `size`-row window over `count` rows that keeps `cursor` visible. */
export function windowStart(count: number, cursor: number, size: number): number {
  if (count <= size) return 0;
  const centered = cursor - Math.floor(size / 2);
  return Math.max(0, Math.min(count - size, centered));
}
