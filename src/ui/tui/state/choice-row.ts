import { glyph } from '../theme.js';

/** One choice row cut to the terminal width, the parts drawn in their own colours. */
export interface FittedRow {
  label: string;
  /** The hint without its status mark (muted); '' when none or cut away. */
  hint: string;
  /** The hint's last part when it is a status ("✓ v1.35.7", "✗ unreachable"): never cut. */
  mark: string;
}

const SEP = ' · ';
const GAP = '  ';
const isMark = (part: string) => part.startsWith(glyph.done) || part.startsWith(glyph.failed) || part.startsWith(glyph.warn);

/** `text` cut to `width` characters, "…" marking the cut. */
function cut(text: string, width: number): string {
  if (text.length <= width) return text;
  return width <= 0 ? '' : `${text.slice(0, width - 1)}${glyph.more}`;
}

/**
 * Fits `label` (padded to `labelWidth` for alignment) and its hint into `width` columns. A status mark
 * at the hint's end (the context picker's reachability) survives: the hint's other parts (the server
 * URL) go first, then the label is cut, never the mark. A hint without a mark is simply cut at the end.
 */
export function fitChoiceRow(label: string, labelWidth: number, hint: string | undefined, width: number): FittedRow {
  const parts = hint ? hint.split(SEP) : [];
  const mark = parts.length > 0 && isMark(parts.at(-1)!) ? parts.at(-1)! : '';
  const head = (mark ? parts.slice(0, -1) : parts).join(SEP);
  const padded = label.padEnd(labelWidth);
  const line = (l: string, h: string) => l.length + (h || mark ? GAP.length : 0) + h.length + (h && mark ? SEP.length : 0) + mark.length;
  if (line(padded, head) <= width) return { label: padded, hint: head, mark };
  if (!mark) return { label: padded, hint: cut(head, width - padded.length - GAP.length), mark };
  // Alignment gives way first, then the hint's head (down to nothing), then the label itself.
  const room = width - line(label, '') - SEP.length;
  if (room >= 4) return { label, hint: cut(head, room), mark };
  return { label: cut(label, width - GAP.length - mark.length), hint: '', mark };
}
