import { ExitCode } from '../../../core/kernel/errors.js';
import type { FlowOutcome } from '../../../core/kernel/outcome.js';
import type { FlowView } from './flow-reducer.js';
import { hasRoomForLogPane, logPaneRows } from './layout.js';
import { readinessRows } from './readiness-view.js';

export interface FlowLayoutInput {
  rows: number;
  columns: number;
  view: FlowView;
  /** Helm lines seen so far. */
  logLines: number;
  /** Set once the run has finished. */
  outcome?: FlowOutcome;
}

export interface FlowLayout {
  readiness?: FlowView['readiness'];
  /** Finding summaries the outcome already states. */
  omitFindings: readonly string[];
  showLog: boolean;
  logRows: number;
}

/** Which panels the flow screen shows and how tall the helm pane may be, so the live area fits the terminal. */
export function planFlowLayout({ rows, columns, view, logLines, outcome }: FlowLayoutInput): FlowLayout {
  // A ready verdict has nothing left to say once the outcome is on screen.
  const readiness = view.readiness && (!outcome || view.readiness.verdict.state !== 'ready') ? view.readiness : undefined;
  const omitFindings = outcome?.details ?? [];
  // After the run these panels are printed into <Static>, which has no height limit.
  const otherRows = (readiness ? readinessRows(readiness, omitFindings, columns) : 0) + view.liveSteps.length + (view.layers ? view.layers.length + 1 : 0);
  // Live: the helm tail unless readiness leaves no room. After the run: only if helm is what failed.
  const helmFailed = outcome?.exitCode === ExitCode.failure && !readiness;
  const showLog = logLines > 0 && (outcome ? helmFailed : !readiness || hasRoomForLogPane(rows, otherRows));
  return {
    readiness,
    omitFindings,
    showLog,
    logRows: logPaneRows(rows, otherRows),
  };
}
