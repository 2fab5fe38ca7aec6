import { ExitCode } from '../../../core/kernel/errors.js';
import type { FlowOutcome } from '../../../core/kernel/outcome.js';
import type { Question } from '../../../core/kernel/questions.js';
import type { FlowView } from './flow-reducer.js';
import { LOG_PANE_MAX } from './layout.js';
import { planLiveArea, type LivePlan } from './live-budget.js';
import { questionDemand } from './question-rows.js';
import { readinessDemand, visibleFindings, type VisibleFinding } from './readiness-view.js';

export interface FlowLayoutInput {
  rows: number;
  columns: number;
  view: FlowView;
  /** Helm lines the log buffer holds now. */
  logLines: number;
  /** Rows drawn whatever happens: banner, title, the hint bar, "cancelling…". */
  fixedRows: number;
  question?: Question;
  /** Set once the run has finished. */
  outcome?: FlowOutcome;
}

export interface FlowLayout {
  readiness?: FlowView['readiness'];
  findings: VisibleFinding[];
  /** The live area's budget (while running). */
  live: LivePlan;
  /** After the run: the helm tail goes into the report only when helm is what failed. */
  reportLogLines: number;
}

/** Which panels the flow screen shows and how many rows each may take, so the live area fits the terminal. */
export function planFlowLayout({ rows, columns, view, logLines, fixedRows, question, outcome }: FlowLayoutInput): FlowLayout {
  // A ready verdict has nothing left to say once the outcome is on screen.
  const readiness = view.readiness && (!outcome || view.readiness.verdict.state !== 'ready') ? view.readiness : undefined;
  // What the outcome says (headline, details) is not repeated by the panel above it.
  const said = outcome ? [outcome.headline, ...outcome.details] : [];
  const findings = readiness ? visibleFindings(readiness.verdict, said) : [];
  const live = planLiveArea({
    rows,
    columns,
    fixed: fixedRows,
    question: question ? questionDemand(question, columns) : undefined,
    steps: view.liveSteps.length,
    readiness: readiness ? readinessDemand(readiness.snapshot.pods.length, findings) : undefined,
    logLines,
  });
  const helmFailed = outcome?.exitCode === ExitCode.failure && !readiness;
  return { readiness, findings, live, reportLogLines: helmFailed ? Math.min(logLines, LOG_PANE_MAX) : 0 };
}
