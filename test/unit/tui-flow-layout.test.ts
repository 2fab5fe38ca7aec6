import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/core/kernel/errors.js';
import type { FlowOutcome } from '../../src/core/kernel/outcome.js';
import type { Finding } from '../../src/core/readiness/diagnose.js';
import type { ReadinessSnapshot } from '../../src/core/readiness/snapshot.js';
import { initialFlowView, type FlowView } from '../../src/ui/tui/state/flow-reducer.js';
import { planFlowLayout } from '../../src/ui/tui/state/flow-layout.js';
import { LOG_PANE_MAX } from '../../src/ui/tui/state/layout.js';
import { readinessRows, visibleFindings } from '../../src/ui/tui/state/readiness-view.js';

const next = 'Check --image-tag';
const findings: Finding[] = [
  { code: 'IMAGE_PULL', pod: 'a', summary: 'ImagePullBackOff: a', next },
  { code: 'IMAGE_PULL', pod: 'b', summary: 'ErrImagePull: b', next },
  { code: 'FAILED_MOUNT', pod: 'b', summary: 'FailedMount: x', next: 'Check the Secret' },
];
const snapshot: ReadinessSnapshot = { pods: [], events: [] };
const failedReadiness = { snapshot, verdict: { state: 'failed' as const, progress: '0/2', findings } };
const outcome = (exitCode: FlowOutcome['exitCode'], details: string[] = []): FlowOutcome => ({
  exitCode,
  headline: 'h',
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

  it('counts wrapped finding rows', () => {
    const long = { ...failedReadiness, verdict: { ...failedReadiness.verdict, findings: [{ ...findings[0]!, summary: 'x'.repeat(150) }] } };
    expect(readinessRows(long, [], 80)).toBe(3 + 2 + 1);
  });
});

describe('planFlowLayout', () => {
  const base = { rows: 40, columns: 100, view: initialFlowView, logLines: 0 };

  it('shows the helm pane only once there are lines, at most 15 rows', () => {
    expect(planFlowLayout(base).showLog).toBe(false);
    const layout = planFlowLayout({ ...base, logLines: 3 });
    expect(layout).toMatchObject({ showLog: true, logRows: LOG_PANE_MAX });
  });

  it('hides the pane while readiness needs the room, keeps it when there is room', () => {
    const view: FlowView = { ...initialFlowView, readiness: failedReadiness };
    expect(planFlowLayout({ ...base, rows: 18, view, logLines: 9 }).showLog).toBe(false);
    expect(planFlowLayout({ ...base, rows: 40, view, logLines: 9 }).showLog).toBe(true);
  });

  it('after the run keeps the helm tail only when helm itself failed', () => {
    expect(planFlowLayout({ ...base, logLines: 9, outcome: outcome(ExitCode.failure) }).showLog).toBe(true);
    expect(planFlowLayout({ ...base, logLines: 9, outcome: outcome(ExitCode.cancelled) }).showLog).toBe(false);
    expect(planFlowLayout({ ...base, logLines: 9, outcome: outcome(ExitCode.ok) }).showLog).toBe(false);
    const view: FlowView = { ...initialFlowView, readiness: failedReadiness };
    expect(planFlowLayout({ ...base, view, logLines: 9, outcome: outcome(ExitCode.failure) }).showLog).toBe(false);
  });

  it('drops a ready panel from the final frame but keeps a failed one, minus what the outcome says', () => {
    const ready: FlowView = { ...initialFlowView, readiness: { snapshot, verdict: { state: 'ready', progress: '2/2' } } };
    expect(planFlowLayout({ ...base, view: ready }).readiness).toBeDefined();
    expect(planFlowLayout({ ...base, view: ready, outcome: outcome(ExitCode.ok) }).readiness).toBeUndefined();
    const failed: FlowView = { ...initialFlowView, readiness: failedReadiness };
    const layout = planFlowLayout({ ...base, view: failed, outcome: outcome(ExitCode.failure, ['ImagePullBackOff: a']) });
    expect(layout.readiness).toBeDefined();
    expect(layout.omitFindings).toEqual(['ImagePullBackOff: a']);
  });

});
