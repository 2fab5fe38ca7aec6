import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { coalesce } from '../../src/adapters/kube/coalesce.js';

describe('coalesce', () => {
  it('runs the first change at once, a burst at most once per interval, and always the last change', async () => {
    const runs: number[] = [];
    const started = Date.now();
    const c = coalesce(() => {
      runs.push(Date.now() - started);
      return true;
    }, 40);
    c.trigger();
    expect(runs).toHaveLength(1); // leading edge: synchronous
    for (let i = 0; i < 10; i++) c.trigger();
    expect(runs).toHaveLength(1);
    await sleep(60);
    expect(runs).toHaveLength(2); // trailing edge
    expect(runs[1]).toBeGreaterThanOrEqual(35);
    expect(runs[1]).toBeLessThan(80);
    await sleep(60);
    c.trigger(); // quiet for longer than the interval: at once again
    expect(runs).toHaveLength(3);
  });

  it('a run that reports nothing does not hold back the next change', () => {
    let emit = false;
    let runs = 0;
    const c = coalesce(() => {
      runs++;
      return emit;
    }, 1000);
    c.trigger();
    emit = true;
    c.trigger();
    expect(runs).toBe(2);
    c.cancel();
  });

  it('cancel drops a pending run', async () => {
    let runs = 0;
    const c = coalesce(() => {
      runs++;
      return true;
    }, 20);
    c.trigger();
    c.trigger();
    c.cancel();
    await sleep(40);
    expect(runs).toBe(1);
  });
});
