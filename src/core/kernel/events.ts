import type { ReadinessSnapshot } from '../readiness/snapshot.js';
import type { ReadinessVerdict } from '../readiness/diagnose.js';

export type StepStatus = 'running' | 'done' | 'skipped' | 'failed';

/**
 * Which target an event belongs to when one run works on several (contexts, installs). Front ends
 * group by it; a run with one target leaves it out.
 */
export interface EventScope {
  /** Stable key, e.g. "prod-eu/gitlab-agent-prod/prod". */
  id: string;
  /** What a person reads, e.g. "prod-eu · prod". */
  label: string;
}

/** Something this run created (or reused), so Ctrl-C and failures can say what is left. */
export interface LedgerEntry {
  kind: 'agent' | 'token' | 'namespace' | 'secret' | 'release' | 'config-file' | 'revoked-token' | 'commit' | 'url-configuration';
  id: string;
  description: string;
  /** Created by this run (false = found and reused). */
  created: boolean;
  /** Removed again by this run's clean-up after a failure: it no longer exists. */
  removed?: boolean;
  /** The command (or place) that removes it, for the "what is left" list. */
  undo?: string;
}

export interface ReviewItem {
  label: string;
  value: string;
  /** The question that set it, when it can be changed from the review. */
  answer?: string;
  /** A warning shown beside the value (e.g. cluster-admin in production). */
  warning?: string;
}

/** One titled diff in a review, e.g. "Values of gitlab-agent-prod/prod". */
export interface ReviewDiff {
  title: string;
  lines: string[];
}

/** What front ends print above a review's command when the flow gives no title of its own (the install's wording). */
export const REVIEW_COMMAND_TITLE = 'Equivalent commands (paste into bash; the agent token is read from a file, never typed):';

/**
 * One part of a multi-part check (the doctor's layers gitlab, flux, workload, connection): `pending` until
 * what it reads is being read, `running` while it is, `done` (or `skipped` when every check of it skipped)
 * with how its checks came out.
 */
export interface LayerProgress {
  id: string;
  title: string;
  state: 'pending' | 'running' | 'done' | 'skipped';
  /** What it reads or waits for while pending/running, e.g. "waiting for the Deployment". */
  detail?: string;
  counts?: { ok: number; warn: number; fail: number; skip: number };
}

/** Where a log line came from, e.g. "helm", or "agentk gitlab-agent-v2-abc12". Log panes are titled by it. */
type LogSource = string;

type Scoped<E> = E & { scope?: EventScope };

export type FlowEvent = Scoped<
  /** `activity`: what works while the step runs ("helm", "a GitLab request"), for "cancelling… (stopping helm)". */
  | { type: 'step'; step: string; title: string; status: StepStatus; detail?: string; activity?: string }
  | { type: 'info'; text: string }
  | { type: 'warn'; text: string }
  | { type: 'log'; source: LogSource; line: string; stream: 'stdout' | 'stderr' }
  | { type: 'readiness'; snapshot: ReadinessSnapshot; verdict: ReadinessVerdict }
  /** Every layer's state, whole, each time one changes. */
  | { type: 'layers'; layers: LayerProgress[] }
  | { type: 'ledger'; entry: LedgerEntry }
  /**
   * `command`: the exact, pasteable equivalent of what will run (a shell script). `diffs`: what changes,
   * as lines starting "+ ", "- ", "~ " or context (an upgrade's values and rendered manifests).
   * `commandTitle`: what plain mode prints above the command (default: the install's wording).
   */
  | { type: 'review'; items: ReviewItem[]; command: string; diffs?: ReviewDiff[]; commandTitle?: string }
  /** The questions run again from an earlier one: the user went back, or changes an answer at the review. */
  | { type: 'rewind'; reason: 'back' | 'edit'; question?: string }
>;
