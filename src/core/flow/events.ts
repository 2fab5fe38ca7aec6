import type { ReadinessSnapshot } from '../readiness/snapshot.js';
import type { ReadinessVerdict } from '../readiness/diagnose.js';

export type StepStatus = 'running' | 'done' | 'skipped' | 'failed';

/** Something this run created (or reused), so Ctrl-C and failures can say what is left. */
export interface LedgerEntry {
  kind: 'agent' | 'token' | 'namespace' | 'secret' | 'release' | 'config-file' | 'revoked-token';
  id: string;
  description: string;
  /** Created by this run (false = found and reused). */
  created: boolean;
}

export interface ReviewItem {
  label: string;
  value: string;
  /** A warning shown beside the value (e.g. cluster-admin in production). */
  warning?: string;
}

export type FlowEvent =
  | { type: 'step'; step: string; title: string; status: StepStatus; detail?: string }
  | { type: 'info'; text: string }
  | { type: 'warn'; text: string }
  | { type: 'helm-line'; line: string; stream: 'stdout' | 'stderr' }
  | { type: 'readiness'; snapshot: ReadinessSnapshot; verdict: ReadinessVerdict }
  | { type: 'ledger'; entry: LedgerEntry }
  | { type: 'review'; items: ReviewItem[]; command: string }
  | { type: 'summary'; title: string; lines: string[] };

export type EmitFn = (event: FlowEvent) => void;
