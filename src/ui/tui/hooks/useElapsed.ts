import { useAnimation } from 'ink';

/**
 * Whole seconds since `since` (until `until` when given, e.g. a finished run). While running it
 * re-renders once a second on Ink's shared animation timer instead of a private setInterval.
 */
export function useElapsed(since: number | undefined, until?: number): number {
  useAnimation({ interval: 1000, isActive: since !== undefined && until === undefined });
  if (since === undefined) return 0;
  return Math.max(0, Math.floor(((until ?? Date.now()) - since) / 1000));
}
