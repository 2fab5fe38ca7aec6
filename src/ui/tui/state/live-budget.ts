import { LOG_PANE_MAX, LOG_PANE_MIN, wrappedRows } from './layout.js';

/**
 * The row budget of the live area. Ink clears the whole screen and repaints it once the live area
 * reaches the terminal height, which floods the scrollback with a copy of it every frame; so the
 * pending question, the running steps, the readiness panel and the helm tail share the rows that
 * exist, in that order of importance, and together never take more than `rows - 1`.
 */

/** What the pending question needs (see questionDemand). */
export interface QuestionDemand {
  /** Rows that never shrink: the margin above it, message, problem, help, text field, error line. */
  fixed: number;
  /** Rows its choice list would take (window and "… more" lines included); 0 for text questions. */
  choices: number;
  /** The fewest choice rows it still works with. */
  minChoices: number;
}

/** The readiness panel's content: each finding's texts as drawn (next undefined when not drawn). */
export interface ReadinessDemand {
  pods: number;
  findings: readonly { summary: string; next?: string }[];
}

export interface LiveDemand {
  rows: number;
  columns: number;
  /** Rows that are always drawn: banner, title, the key-hint bar and its margin, a "cancelling…" line. */
  fixed: number;
  question?: QuestionDemand;
  /** Running steps, one row each. */
  steps: number;
  readiness?: ReadinessDemand;
  /** Helm lines that could be shown (what the ring holds). */
  logLines: number;
}

export interface ReadinessPlan {
  /** Pod rows shown; when fewer than there are, one more row says how many are left out. */
  pods: number;
  /** Findings shown; when fewer than there are, one more row says how many are left out. */
  findings: number;
  /** Findings wrapped whole (true) or cut to one row each. */
  wrap: boolean;
}

export interface LivePlan {
  /** Rows the question's choice list may take. */
  choiceRows: number;
  /** Step rows: when fewer than the running steps, the last one says how many more run. */
  steps: number;
  readiness?: ReadinessPlan;
  /** Helm lines in the pane; 0: no pane. */
  logLines: number;
  /** Rows the whole live area takes. */
  total: number;
}

/** The panel's margin, its verdict line and the Deployment line. */
const READINESS_HEAD = 3;
/** The pane's margin and its title line. */
const LOG_HEAD = 2;

/** Rows of one finding: summary under "  ✗ ", next step under "    → ". */
function findingRows(f: { summary: string; next?: string }, columns: number, wrap: boolean): number {
  if (!wrap) return 1 + (f.next !== undefined ? 1 : 0);
  return wrappedRows(f.summary, columns, 4) + (f.next !== undefined ? wrappedRows(f.next, columns, 6) : 0);
}

/** Rows the readiness panel takes with `plan`. */
export function readinessPlanRows(r: ReadinessDemand, plan: ReadinessPlan, columns: number): number {
  const findings = r.findings.slice(0, plan.findings).reduce((sum, f) => sum + findingRows(f, columns, plan.wrap), 0);
  return READINESS_HEAD + plan.pods + (plan.pods < r.pods ? 1 : 0) + findings + (plan.findings < r.findings.length ? 1 : 0);
}

/** The fullest readiness panel that fits in `room` rows: everything wrapped, then cut rows, then fewer findings, then fewer pods. */
function planReadiness(r: ReadinessDemand, room: number, columns: number): ReadinessPlan | undefined {
  const all = r.findings.length;
  const candidates: ReadinessPlan[] = [
    { pods: r.pods, findings: all, wrap: true },
    { pods: r.pods, findings: all, wrap: false },
    ...Array.from({ length: all }, (_, i) => ({ pods: r.pods, findings: all - 1 - i, wrap: false })),
    ...Array.from({ length: r.pods }, (_, i) => ({ pods: r.pods - 1 - i, findings: 0, wrap: false })),
  ];
  return candidates.find((c) => readinessPlanRows(r, c, columns) <= room);
}

export function planLiveArea(d: LiveDemand): LivePlan {
  let left = d.rows - 1 - d.fixed;
  let choiceRows = 0;
  if (d.question) {
    const q = d.question;
    // The question comes first: without it nothing can go on. Its list shrinks before it is dropped.
    choiceRows = Math.max(Math.min(q.choices, left - q.fixed), Math.min(q.minChoices, q.choices));
    left -= q.fixed + choiceRows;
  }
  const steps = Math.max(0, Math.min(d.steps, left));
  left -= steps;
  const readiness = d.readiness ? planReadiness(d.readiness, left, d.columns) : undefined;
  if (readiness && d.readiness) left -= readinessPlanRows(d.readiness, readiness, d.columns);
  const logLines = d.logLines > 0 && left >= LOG_HEAD + LOG_PANE_MIN ? Math.min(d.logLines, LOG_PANE_MAX, left - LOG_HEAD) : 0;
  if (logLines > 0) left -= LOG_HEAD + logLines;
  return { choiceRows, steps, readiness, logLines, total: d.rows - 1 - left };
}
