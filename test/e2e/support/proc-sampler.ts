import { readdirSync, readFileSync } from 'node:fs';

export interface ArgvHit {
  secret: string;
  pid: number;
  cmdline: string;
}

export interface SamplerReport {
  sweeps: number;
  /** Wall time between the first and the last sweep. */
  ms: number;
  /** Largest gap between two sweeps (the event loop may be busy). */
  maxGapMs: number;
  /** Secrets found in some process's argv (must stay empty). */
  hits: ArgvHit[];
  /** Every distinct command line seen, for checking that the sampler saw what it should. */
  cmdlines: Set<string>;
  /** Informational: helm processes whose environment held a secret (not argv, but worth knowing). */
  environHits: ArgvHit[];
}

/**
 * Reads /proc/<pid>/cmdline of every process on the machine every `intervalMs` (argv is readable by
 * any user, which is why a secret must never be there). `secrets()` is called on every sweep, so
 * values minted during the run (the agent token) are looked for as soon as they exist; at stop() all
 * command lines seen are checked once more against the final list.
 */
export function startProcSampler(secrets: () => Record<string, string>, intervalMs = 20): { stop: () => SamplerReport } {
  const cmdlines = new Set<string>();
  const byPid = new Map<number, string>();
  const hits: ArgvHit[] = [];
  const environHits: ArgvHit[] = [];
  const environChecked = new Set<number>();
  const self = process.pid;
  let sweeps = 0;
  let first = 0;
  let last = 0;
  let maxGapMs = 0;

  const check = (pid: number, cmdline: string, needles: Record<string, string>) => {
    for (const [name, value] of Object.entries(needles)) {
      if (value.length >= 8 && cmdline.includes(value) && !hits.some((h) => h.pid === pid && h.secret === name)) {
        hits.push({ secret: name, pid, cmdline });
      }
    }
  };

  const sweep = () => {
    const now = Date.now();
    if (first === 0) first = now;
    else maxGapMs = Math.max(maxGapMs, now - last);
    last = now;
    sweeps++;
    const needles = secrets();
    let entries: string[];
    try {
      entries = readdirSync('/proc');
    } catch {
      return;
    }
    for (const entry of entries) {
      if (!/^\d+$/.test(entry)) continue;
      const pid = Number(entry);
      if (pid === self) continue;
      let cmdline: string;
      try {
        cmdline = readFileSync(`/proc/${entry}/cmdline`, 'latin1').replaceAll('\0', ' ').trim();
      } catch {
        continue; // exited between readdir and read
      }
      if (cmdline === '') continue;
      if (byPid.get(pid) !== cmdline) {
        byPid.set(pid, cmdline);
        cmdlines.add(cmdline);
      }
      check(pid, cmdline, needles);
      // helm is the child that matters most; note once per process whether its environment holds a secret.
      if (!environChecked.has(pid) && /(^|\/)helm /.test(`${cmdline} `)) {
        environChecked.add(pid);
        try {
          const environ = readFileSync(`/proc/${entry}/environ`, 'latin1');
          for (const [name, value] of Object.entries(needles)) {
            if (value.length >= 8 && environ.includes(value)) environHits.push({ secret: name, pid, cmdline });
          }
        } catch {
          /* gone */
        }
      }
    }
  };

  sweep();
  const timer = setInterval(sweep, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      sweep();
      const needles = secrets();
      // Values minted late (the agent token) against everything seen before they were known.
      for (const [pid, cmdline] of byPid) check(pid, cmdline, needles);
      for (const cmdline of cmdlines) if (!hits.some((h) => h.cmdline === cmdline)) check(-1, cmdline, needles);
      return { sweeps, ms: last - first, maxGapMs, hits, cmdlines, environHits };
    },
  };
}
