/** Terminal geometry the live area is planned with: how tall text gets once Ink wraps it. */

/** The helm pane: at most this many lines (the ring holds as many), and no pane below the minimum. */
export const LOG_PANE_MIN = 3;
export const LOG_PANE_MAX = 15;

/**
 * Terminal rows `text` takes when wrapped at `columns`, `indent` columns being taken on every row
 * (a hanging indent). Word wrap, as Ink's wrap-ansi does it: a word that does not fit moves to the
 * next row, a word longer than a row is cut. Never less than the character count divided by the width.
 */
export function wrappedRows(text: string, columns: number, indent = 0): number {
  const width = Math.max(1, columns - indent);
  let rows = 0;
  for (const paragraph of text.split('\n')) {
    let used = 0;
    let lines = 1;
    for (const word of paragraph.split(' ')) {
      const need = used === 0 ? word.length : used + 1 + word.length;
      if (need <= width) {
        used = need;
        continue;
      }
      if (used > 0) lines += 1;
      // A word longer than the row is cut across rows.
      lines += Math.max(0, Math.ceil(word.length / width) - 1);
      used = word.length % width || (word.length === 0 ? 0 : width);
    }
    rows += Math.max(lines, Math.ceil(paragraph.length / width) || 1);
  }
  return Math.max(1, rows);
}
