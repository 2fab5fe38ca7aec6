import type { Finding, ReadinessVerdict } from '../../../core/readiness/diagnose.js';
import type { ReadinessSnapshot } from '../../../core/readiness/snapshot.js';
import { wrappedRows } from './layout.js';

export interface VisibleFinding {
  finding: Finding;
  /** False when the previous finding already gave the same next step (e.g. two pods, one bad image). */
  showNext: boolean;
}

/** The findings the readiness panel draws: none when ready, minus those `omit` (the outcome) already states. */
export function visibleFindings(verdict: ReadinessVerdict, omit: readonly string[] = []): VisibleFinding[] {
  const findings = verdict.state === 'ready' ? [] : verdict.findings.filter((f) => !omit.includes(f.summary));
  return findings.map((finding, i) => ({ finding, showNext: finding.next !== findings[i - 1]?.next }));
}

/** Rows the readiness panel takes at `columns`, wrapping included. */
export function readinessRows(
  readiness: { snapshot: ReadinessSnapshot; verdict: ReadinessVerdict },
  omit: readonly string[],
  columns: number,
): number {
  const header = 3; // margin, verdict line, Deployment line
  const findings = visibleFindings(readiness.verdict, omit).reduce(
    (sum, { finding, showNext }) =>
      sum + wrappedRows(finding.summary, columns, 4) + (showNext ? wrappedRows(finding.next, columns, 6) : 0),
    0,
  );
  return header + readiness.snapshot.pods.length + findings;
}
