/** Row budget of the flow screen, so the live area stays below the terminal height (Ink clears and redraws everything past it). */

export const LOG_PANE_MIN = 5;
export const LOG_PANE_MAX = 15;

/**
 * Banner, title, pane title, the "cancelling…" line, hint bar, the margins between them, and
 * one spare row: Ink clears the screen once the live area reaches the terminal height.
 */
export const CHROME_ROWS = 10;

/** Rows of helm output to show: terminal rows minus chrome and other live panels, within 5..15. */
export function logPaneRows(terminalRows: number, otherRows = 0): number {
  return Math.max(LOG_PANE_MIN, Math.min(LOG_PANE_MAX, terminalRows - CHROME_ROWS - otherRows));
}

/** Whether even the smallest pane fits next to `otherRows` of other panels. */
export function hasRoomForLogPane(terminalRows: number, otherRows = 0): boolean {
  return terminalRows - CHROME_ROWS - otherRows >= LOG_PANE_MIN;
}

/** Terminal rows a line of text takes once Ink wraps it at `columns`. */
export function wrappedRows(text: string, columns: number, indent = 0): number {
  return Math.max(1, Math.ceil((indent + text.length) / Math.max(1, columns)));
}
