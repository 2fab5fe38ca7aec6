import { describe, expect, it } from 'vitest';
import type { Choice } from '../../src/core/kernel/questions.js';
import { initialCursor, moveCursor, windowStart } from '../../src/ui/tui/state/choice-cursor.js';
import { CHROME_ROWS, LOG_PANE_MAX, LOG_PANE_MIN, hasRoomForLogPane, logPaneRows, wrappedRows } from '../../src/ui/tui/state/layout.js';

const choices: Choice[] = [
  { value: 'a', label: 'a', disabled: 'no' },
  { value: 'b', label: 'b' },
  { value: 'c', label: 'c', disabled: 'no' },
  { value: 'd', label: 'd' },
];

describe('logPaneRows', () => {
  it('is terminal rows minus chrome, clamped to 5..15', () => {
    expect(logPaneRows(100)).toBe(LOG_PANE_MAX);
    expect(logPaneRows(5)).toBe(LOG_PANE_MIN);
    expect(logPaneRows(20)).toBe(20 - CHROME_ROWS);
    expect(logPaneRows(20, 3)).toBe(20 - CHROME_ROWS - 3);
    expect(logPaneRows(20, 10)).toBe(LOG_PANE_MIN);
  });

  it('says when not even the smallest pane fits', () => {
    expect(hasRoomForLogPane(24, 24 - CHROME_ROWS - LOG_PANE_MIN)).toBe(true);
    expect(hasRoomForLogPane(24, 24 - CHROME_ROWS - LOG_PANE_MIN + 1)).toBe(false);
  });

  it('counts wrapped rows', () => {
    expect(wrappedRows('', 80)).toBe(1);
    expect(wrappedRows('x'.repeat(80), 80)).toBe(1);
    expect(wrappedRows('x'.repeat(80), 80, 2)).toBe(2);
  });
});

describe('choice cursor', () => {
  it('starts on the default when selectable, else on the first selectable choice', () => {
    expect(initialCursor(choices, 'd')).toBe(3);
    expect(initialCursor(choices, 'c')).toBe(1);
    expect(initialCursor(choices)).toBe(1);
    expect(initialCursor([{ value: 'x', label: 'x', disabled: 'no' }])).toBe(-1);
  });

  it('skips disabled choices and wraps around', () => {
    expect(moveCursor(choices, 1, 1)).toBe(3);
    expect(moveCursor(choices, 3, 1)).toBe(1);
    expect(moveCursor(choices, 1, -1)).toBe(3);
    expect(moveCursor([{ value: 'x', label: 'x' }], 0, 1)).toBe(0);
  });

  it('scrolls a window so the cursor stays visible', () => {
    expect(windowStart(5, 4, 10)).toBe(0);
    expect(windowStart(30, 0, 10)).toBe(0);
    expect(windowStart(30, 15, 10)).toBe(10);
    expect(windowStart(30, 29, 10)).toBe(20);
  });
});
