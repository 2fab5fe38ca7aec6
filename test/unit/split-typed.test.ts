import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import { splitTyped } from '../../src/ui/tui/hooks/useKeyInput.js';

const none = { upArrow: false, downArrow: false, return: false, tab: false, ctrl: false, meta: false, shift: false } as Key;

describe('a run of typed characters is the keys it was', () => {
  it('splits space + ⏎ and a pasted answer + ⏎ into single keys, ⏎ and Tab as Ink reports them alone', () => {
    expect(splitTyped(' \r', none).map(([i, k]) => [i, k.return])).toEqual([
      [' ', false],
      ['', true],
    ]);
    const keys = splitTyped('aB\t\n', none);
    expect(keys.map(([i]) => i)).toEqual(['a', 'B', '', '']);
    expect(keys.map(([, k]) => [k.shift, k.tab, k.return])).toEqual([
      [false, false, false],
      [true, false, false],
      [false, true, false],
      [false, false, true],
    ]);
  });

  it('takes \\r\\n as one ⏎', () => {
    expect(splitTyped('a\r\n', none).map(([i, k]) => [i, k.return])).toEqual([
      ['a', false],
      ['', true],
    ]);
  });

  it('leaves one key, and ctrl/meta combinations, alone', () => {
    expect(splitTyped('j', none)).toEqual([['j', none]]);
    expect(splitTyped('', { ...none, return: true })).toHaveLength(1);
    expect(splitTyped('ab', { ...none, meta: true })).toHaveLength(1);
  });
});
