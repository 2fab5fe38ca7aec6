import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * True when `pid` no longer runs. kill(pid, 0) throws ESRCH for a reaped process; a zombie
 * (dead, but its parent — here often a PID 1 that never reaps — has not collected it) also counts.
 */
export function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    return state === 'Z' || state === 'X';
  } catch {
    return true; // vanished between the two checks
  }
}

/** Polls until `check` holds; the test's own timeout bounds it. */
export async function waitUntil(check: () => boolean): Promise<void> {
  while (!check()) await sleep(20);
}
