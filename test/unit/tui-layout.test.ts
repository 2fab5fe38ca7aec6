import { describe, expect, it } from 'vitest';
import type { Choice } from '../../src/core/kernel/questions.js';
import { initialCursor, moveCursor, windowStart } from '../../src/ui/tui/state/choice-cursor.js';
import { wrappedRows } from '../../src/ui/tui/state/layout.js';

const choices: Choice[] = [
  { value: 'a', label: 'a', disabled: 'no' },
  { value: 'b', label: 'b' },
  { value: 'c', label: 'c', disabled: 'no' },
  { value: 'd', label: 'd' },
];

describe('wrappedRows', () => {
  it('counts rows as word wrap makes them, a hanging indent taken on every row', () => {
    expect(wrappedRows('', 80)).toBe(1);
    expect(wrappedRows('x'.repeat(80), 80)).toBe(1);
    expect(wrappedRows('x'.repeat(80), 80, 2)).toBe(2);
    // "aaaa bbbb" at 6 columns: the second word moves to the next row, though 9 characters would fill 2 rows anyway
    expect(wrappedRows('aaaa bbbb cc', 6)).toBe(3);
    // a word longer than a row is cut
    expect(wrappedRows('x'.repeat(25), 10)).toBe(3);
    expect(wrappedRows('one\ntwo', 80)).toBe(2);
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
