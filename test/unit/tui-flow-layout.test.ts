import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/core/kernel/errors.js';
import type { FlowOutcome } from '../../src/core/kernel/outcome.js';
import type { Finding } from '../../src/core/readiness/diagnose.js';
import type { ReadinessSnapshot } from '../../src/core/readiness/snapshot.js';
import { initialFlowView, type FlowView } from '../../src/ui/tui/state/flow-reducer.js';
import { planFlowLayout } from '../../src/ui/tui/state/flow-layout.js';
import { LOG_PANE_MAX } from '../../src/ui/tui/state/layout.js';
import { visibleFindings } from '../../src/ui/tui/state/readiness-view.js';

const next = 'Check --image-tag';
const findings: Finding[] = [
  { code: 'IMAGE_PULL', pod: 'a', summary: 'ImagePullBackOff: a', next },
  { code: 'IMAGE_PULL', pod: 'b', summary: 'ErrImagePull: b', next },
  { code: 'FAILED_MOUNT', pod: 'b', summary: 'FailedMount: x', next: 'Check the Secret' },
];
const snapshot: ReadinessSnapshot = { pods: [], events: [] };
const failedReadiness = { snapshot, verdict: { state: 'failed' as const, progress: '0/2', findings } };
const outcome = (exitCode: FlowOutcome['exitCode'], details: string[] = [], headline = 'h'): FlowOutcome => ({
  exitCode,
  headline,
  details,
  ledger: [],
});

describe('visibleFindings', () => {
  it('gives a next step only when it differs from the previous one, and drops what the outcome says', () => {
    expect(visibleFindings(failedReadiness.verdict).map((v) => v.showNext)).toEqual([true, false, true]);
    expect(visibleFindings(failedReadiness.verdict, ['ImagePullBackOff: a']).map((v) => [v.finding.pod, v.showNext])).toEqual([
      ['b', true],
      ['b', true],
    ]);
    expect(visibleFindings({ state: 'ready', progress: '2/2' })).toEqual([]);
  });

  it('drops a finding the headline contains, and a next step the details already give', () => {
    const said = ['readiness failed: pod-a: ImagePullBackOff: a', `Next: ${next}`];
    expect(visibleFindings(failedReadiness.verdict, said).map((v) => [v.finding.summary, v.showNext])).toEqual([
      ['ErrImagePull: b', false],
      ['FailedMount: x', true],
    ]);
  });
});

describe('planFlowLayout', () => {
  const base = { rows: 40, columns: 100, view: initialFlowView, logLines: 0, fixedRows: 3 };

  it('shows the helm pane only once there are lines, at most 15 rows', () => {
    expect(planFlowLayout(base).live.logLines).toBe(0);
    expect(planFlowLayout({ ...base, logLines: 30 }).live.logLines).toBe(LOG_PANE_MAX);
  });

  it('gives readiness the rows before the helm pane', () => {
    const view: FlowView = { ...initialFlowView, readiness: failedReadiness };
    const small = planFlowLayout({ ...base, rows: 14, view, logLines: 9 }).live;
    expect(small.readiness).toEqual({ pods: 0, findings: 3, wrap: true });
    expect(small.logLines).toBe(0);
    expect(planFlowLayout({ ...base, rows: 40, view, logLines: 9 }).live.logLines).toBe(9);
  });

  it('after the run keeps the helm tail for the report only when helm itself failed', () => {
    expect(planFlowLayout({ ...base, logLines: 9, outcome: outcome(ExitCode.failure) }).reportLogLines).toBe(9);
    expect(planFlowLayout({ ...base, logLines: 9, outcome: outcome(ExitCode.cancelled) }).reportLogLines).toBe(0);
    expect(planFlowLayout({ ...base, logLines: 9, outcome: outcome(ExitCode.ok) }).reportLogLines).toBe(0);
    const view: FlowView = { ...initialFlowView, readiness: failedReadiness };
    expect(planFlowLayout({ ...base, view, logLines: 9, outcome: outcome(ExitCode.failure) }).reportLogLines).toBe(0);
  });

  it('drops a ready panel from the report but keeps a failed one, minus what the outcome says', () => {
    const ready: FlowView = { ...initialFlowView, readiness: { snapshot, verdict: { state: 'ready', progress: '2/2' } } };
    expect(planFlowLayout({ ...base, view: ready }).readiness).toBeDefined();
    expect(planFlowLayout({ ...base, view: ready, outcome: outcome(ExitCode.ok) }).readiness).toBeUndefined();
    const failed: FlowView = { ...initialFlowView, readiness: failedReadiness };
    const layout = planFlowLayout({
      ...base,
      view: failed,
      outcome: outcome(ExitCode.failure, [], 'readiness failed: a: ImagePullBackOff: a'),
    });
    expect(layout.readiness).toBeDefined();
    expect(layout.findings.map((f) => f.finding.summary)).toEqual(['ErrImagePull: b', 'FailedMount: x']);
  });
});
