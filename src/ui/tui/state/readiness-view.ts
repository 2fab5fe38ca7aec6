import type { Finding, ReadinessVerdict } from '../../../core/readiness/diagnose.js';
import type { ReadinessDemand } from './live-budget.js';

export interface VisibleFinding {
  finding: Finding;
  /** False when the previous finding already gave the same next step (two pods, one bad image), or the outcome says it. */
  showNext: boolean;
}

/** Whether one of `said` (the outcome's headline and details) already contains `text`. */
const alreadySaid = (text: string, said: readonly string[]) => said.some((s) => s.includes(text));

/**
 * The findings the readiness panel draws: none when ready, minus those the outcome (`said`: its
 * headline and details) already states, so a failure is printed once.
 */
export function visibleFindings(verdict: ReadinessVerdict, said: readonly string[] = []): VisibleFinding[] {
  const findings = verdict.state === 'ready' ? [] : verdict.findings.filter((f) => !alreadySaid(f.summary, said));
  return findings.map((finding, i) => ({
    finding,
    showNext: finding.next !== findings[i - 1]?.next && !alreadySaid(finding.next, said),
  }));
}

/** What the panel would draw, for the row budget. */
export function readinessDemand(pods: number, findings: readonly VisibleFinding[]): ReadinessDemand {
  return { pods, findings: findings.map((v) => ({ summary: v.finding.summary, ...(v.showNext ? { next: v.finding.next } : {}) })) };
}
