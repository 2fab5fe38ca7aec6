import { describe, expect, it } from 'vitest';
import { LineRing } from '../../src/ui/tui/state/line-ring.js';
import { sanitizeLine } from '../../src/ui/tui/state/log-line.js';

describe('LineRing', () => {
  it('keeps the newest items oldest-first and counts everything pushed', () => {
    const ring = new LineRing<number>(3);
    expect(ring.toArray()).toEqual([]);
    ring.push(1);
    ring.push(2);
    expect(ring.toArray()).toEqual([1, 2]);
    for (let i = 3; i <= 10; i++) ring.push(i);
    expect(ring.toArray()).toEqual([8, 9, 10]);
    expect(ring.size).toBe(3);
    expect(ring.total).toBe(10);
  });

  it('returns at most the last n items', () => {
    const ring = new LineRing<string>(5);
    for (const s of ['a', 'b', 'c', 'd', 'e', 'f']) ring.push(s);
    expect(ring.toArray(2)).toEqual(['e', 'f']);
    expect(ring.toArray(99)).toEqual(['b', 'c', 'd', 'e', 'f']);
    expect(ring.toArray(0)).toEqual([]);
  });

  it('stays bounded under a flood', () => {
    const ring = new LineRing<string>(15);
    for (let i = 0; i < 100_000; i++) ring.push(`line ${i}`);
    expect(ring.toArray()).toHaveLength(15);
    expect(ring.toArray().at(-1)).toBe('line 99999');
    expect(ring.total).toBe(100_000);
  });

  it('rejects a capacity below 1', () => {
    expect(() => new LineRing(0)).toThrow(RangeError);
  });
});

describe('sanitizeLine', () => {
  it('removes colors, cursor moves and carriage returns, expands tabs', () => {
    expect(sanitizeLine('\u001B[32mok\u001B[0m\tdone\r\n')).toBe('ok  done');
    expect(sanitizeLine('progress 10%\rprogress 20%')).toBe('progress 10%progress 20%');
    expect(sanitizeLine('\u001B]8;;http://x\u0007link\u001B]8;;\u0007')).toBe('link');
    expect(sanitizeLine('bell\u0007 and \u001B[2K erase')).toBe('bell and  erase');
  });
});
