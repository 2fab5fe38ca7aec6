/** "90", "90s", "5m", "1h30m" → milliseconds; NaN when unreadable. */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/gy;
  let total = 0;
  let matched = 0;
  for (const m of trimmed.matchAll(re)) {
    const n = Number(m[1]);
    total += m[2] === 'h' ? n * 3_600_000 : m[2] === 'm' ? n * 60_000 : m[2] === 's' ? n * 1000 : n;
    matched += m[0].length;
  }
  return matched === trimmed.length && matched > 0 ? total : NaN;
}

/** Node's timers hold at most 2^31-1 ms (about 24.8 days); a longer wait would fire at once. */
const MAX_DURATION_MS = 2 ** 31 - 1;

export function durationProblem(ms: number): string | undefined {
  if (!Number.isFinite(ms) || ms <= 0) return 'must be a positive duration';
  if (ms > MAX_DURATION_MS) return 'must be shorter than 24 days';
  return undefined;
}
