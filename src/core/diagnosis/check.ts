import type { Evidence } from './evidence.js';
import { LAYERS, type Category, type Finding, type Layer, type Status } from './finding.js';

/**
 * A linkerd-style check as data. `fatal`: when it fails, every check that depends on it (directly or
 * through other checks) is skipped with the reason, instead of piling up consequential failures.
 */
export interface Check {
  id: string;
  layer: Layer;
  title: string;
  /** Check ids that must run first. */
  dependsOn: string[];
  fatal: boolean;
  run(evidence: Evidence): Finding[];
}

const STATUS_RANK: Record<Status, number> = { fail: 0, warn: 1, ok: 2, skip: 3 };
const LAYER_RANK: Record<Layer, number> = Object.fromEntries(LAYERS.map((l, i) => [l, i])) as Record<Layer, number>;

/** Dependencies first, otherwise the given order; a dependency on an unknown id is ignored. */
function ordered(checks: readonly Check[]): Check[] {
  const byId = new Map(checks.map((c) => [c.id, c]));
  const out: Check[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (c: Check) => {
    const s = state.get(c.id);
    if (s === 'done') return;
    if (s === 'visiting') throw new Error(`check dependency cycle at ${c.id}`);
    state.set(c.id, 'visiting');
    for (const d of c.dependsOn) {
      const dep = byId.get(d);
      if (dep) visit(dep);
    }
    state.set(c.id, 'done');
    out.push(c);
  };
  for (const c of checks) visit(c);
  return out;
}

function skipped(check: Check, blocker: string): Finding {
  return {
    id: check.id,
    layer: check.layer,
    status: 'skip',
    category: 'not-checked',
    title: check.title,
    evidence: [`skipped: depends on ${blocker}, which failed`],
    cause: `Not checked, because ${blocker} failed and this check needs what it verifies.`,
    fix: '',
    docsUrl: '',
  };
}

function crashed(check: Check, error: unknown): Finding {
  return {
    id: check.id,
    layer: check.layer,
    status: 'warn',
    category: 'not-checked',
    title: check.title,
    evidence: [`check error: ${error instanceof Error ? error.message : String(error)}`],
    cause: 'This check could not evaluate the evidence (a bug in the check); the other checks still ran.',
    fix: '',
    docsUrl: '',
  };
}

/**
 * Runs every check once, dependencies first. A check is skipped when a fatal check it depends on failed,
 * or when a check it depends on was skipped for that reason (naming the failed fatal check). A throwing
 * check yields a `warn` finding instead of aborting the run. The result is the causal chain: layers in
 * the order gitlab → flux → workload → connection, checks in catalogue order within a layer, and within
 * one check's findings fail before warn before ok.
 */
export function runChecks(checks: readonly Check[], evidence: Evidence): Finding[] {
  const run = ordered(checks);
  const checkRank = new Map(checks.map((c, i) => [c.id, i]));
  /** check id → the failed fatal check that blocks its dependents (itself when it failed) */
  const blocks = new Map<string, string>();
  const results: { finding: Finding; check: number; seq: number }[] = [];
  let seq = 0;
  for (const check of run) {
    const blocker = check.dependsOn.map((d) => blocks.get(d)).find((b) => b !== undefined);
    let findings: Finding[];
    if (blocker !== undefined) {
      findings = [skipped(check, blocker)];
      blocks.set(check.id, blocker);
    } else {
      try {
        findings = check.run(evidence);
      } catch (error) {
        findings = [crashed(check, error)];
      }
      if (findings.length === 0) findings = [okFinding(check)];
      if (check.fatal && findings.some((f) => f.status === 'fail')) blocks.set(check.id, check.id);
    }
    for (const finding of findings) results.push({ finding, check: checkRank.get(check.id) ?? 0, seq: seq++ });
  }
  results.sort(
    (a, b) =>
      LAYER_RANK[a.finding.layer] - LAYER_RANK[b.finding.layer] ||
      a.check - b.check ||
      STATUS_RANK[a.finding.status] - STATUS_RANK[b.finding.status] ||
      a.seq - b.seq,
  );
  return results.map((r) => r.finding);
}

function okFinding(check: Check): Finding {
  return {
    id: check.id,
    layer: check.layer,
    status: 'ok',
    category: 'healthy',
    title: check.title,
    evidence: [],
    cause: 'Nothing wrong found.',
    fix: '',
    docsUrl: '',
  };
}

/**
 * The root cause: the first `fail` in chain order (see runChecks) that is not marked a symptom; when every
 * failure is a symptom, the first failure. Null when nothing fails (warnings never make a root cause).
 */
export function rootCause(findings: readonly Finding[]): Finding | null {
  const fails = [...findings]
    .map((f, i) => ({ f, i }))
    .filter(({ f }) => f.status === 'fail')
    .sort((a, b) => LAYER_RANK[a.f.layer] - LAYER_RANK[b.f.layer] || a.i - b.i)
    .map(({ f }) => f);
  return fails.find((f) => !f.symptom) ?? fails[0] ?? null;
}

export interface Diagnosis {
  findings: Finding[];
  rootCause: { id: string; category: Category } | null;
  /**
   * One word for the install: the root cause's category; else `not-the-agent` when a check says the fault
   * lies outside the agent (a warning); else `healthy`.
   */
  category: Category;
}

export function summarize(findings: Finding[]): Diagnosis {
  const root = rootCause(findings);
  if (root) return { findings, rootCause: { id: root.id, category: root.category }, category: root.category };
  const elsewhere = findings.some((f) => f.category === 'not-the-agent' && f.status === 'warn');
  return { findings, rootCause: null, category: elsewhere ? 'not-the-agent' : 'healthy' };
}

/** The findings worth showing as the chain: failures and warnings, in chain order, the root cause first. */
export function causalChain(findings: readonly Finding[]): Finding[] {
  const root = rootCause(findings);
  const rest = findings.filter((f) => (f.status === 'fail' || f.status === 'warn') && f !== root);
  return root ? [root, ...rest] : rest;
}
