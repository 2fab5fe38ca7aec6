import { describe, expect, it } from 'vitest';
import { LineTail } from '../../src/adapters/helm/line-tail.js';

describe('LineTail', () => {
  it('keeps only the last N lines', () => {
    const tail = new LineTail(3);
    for (let i = 0; i < 1000; i++) tail.push(`line ${i}`);
    expect(tail.snapshot()).toEqual(['line 997', 'line 998', 'line 999']);
  });

  it('shortens huge lines and hands out a copy', () => {
    const tail = new LineTail(2);
    tail.push('x'.repeat(10_000));
    const snapshot = tail.snapshot();
    expect(snapshot[0]).toHaveLength(4097);
    expect(snapshot[0]?.endsWith('…')).toBe(true);
    snapshot.push('mutated');
    expect(tail.snapshot()).toHaveLength(1);
  });
});
