import type { Check } from './check.js';
import type { Evidence } from './evidence.js';
import type { Category, Finding, Layer, ObjectRef, Status } from './finding.js';

/** What a rule states about a problem; `make` adds the check's layer and id scheme. */
export interface Problem {
  /** Appended to the check id: `GL-TOKEN` + `INVALID` → `GL-TOKEN-INVALID`. */
  suffix: string;
  status: Exclude<Status, 'ok' | 'skip'>;
  category: Category;
  title: string;
  evidence: string[];
  cause: string;
  fix: string;
  docsUrl: string;
  subject?: ObjectRef;
  symptom?: boolean;
  /** Overrides the check's layer (the agentk log check reports RBAC findings in the workload layer). */
  layer?: Layer;
}

export function problem(check: Pick<Check, 'id' | 'layer'>, p: Problem): Finding {
  const f: Finding = {
    id: `${check.id}-${p.suffix}`,
    layer: p.layer ?? check.layer,
    status: p.status,
    category: p.category,
    title: p.title,
    evidence: p.evidence,
    cause: p.cause,
    fix: p.fix,
    docsUrl: p.docsUrl,
  };
  if (p.subject) f.subject = p.subject;
  if (p.symptom) f.symptom = true;
  return f;
}

export function ok(check: Pick<Check, 'id' | 'layer' | 'title'>, evidence: string[] = [], cause = 'Nothing wrong found.'): Finding {
  return { id: check.id, layer: check.layer, status: 'ok', category: 'healthy', title: check.title, evidence, cause, fix: '', docsUrl: '' };
}

/** The check does not apply or lacks its evidence; not a failure. */
export function notApplicable(check: Pick<Check, 'id' | 'layer' | 'title'>, why: string): Finding {
  return {
    id: check.id,
    layer: check.layer,
    status: 'skip',
    category: 'not-checked',
    title: check.title,
    evidence: [why],
    cause: why,
    fix: '',
    docsUrl: '',
  };
}

/** A check definition whose run receives the evidence and the check itself (for ids). */
export function defineCheck(spec: Omit<Check, 'run'> & { run(evidence: Evidence, self: Check): Finding[] }): Check {
  const check: Check = {
    id: spec.id,
    layer: spec.layer,
    title: spec.title,
    dependsOn: spec.dependsOn,
    fatal: spec.fatal,
    run: (evidence) => spec.run(evidence, check),
  };
  return check;
}
