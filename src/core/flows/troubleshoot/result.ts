import { causalChain, type Diagnosis } from '../../diagnosis/check.js';
import type { Category, Finding } from '../../diagnosis/finding.js';
import type { FixProposal } from '../../diagnosis/fixes.js';
import type { ResultItem, ResultSection } from '../../kernel/outcome.js';

/** One diagnosed install in `troubleshoot --output json` (README documents it). */
export interface TroubleshootInstall {
  namespace: string;
  release: string | null;
  /** The GitLab agent's name, when known (our token Secret, or the release). */
  agent: string | null;
  /** The first failure of the causal chain that is not a symptom; null when nothing fails. */
  rootCause: { id: string; category: Category } | null;
  /** One word for the install: the root cause's category, `not-the-agent`, or `healthy`. */
  category: Category;
  /** Every check's findings in chain order (layer gitlab → flux → workload → connection). */
  findings: Finding[];
  /**
   * The mechanical fixes the failures call for, as typed data (root cause's first): what a "fix it" step
   * would run. This version only reports them; each finding's `fix` says how to do it by hand.
   */
  fixes: FixProposal[];
  /** What could not be read (its checks were skipped), one line each. */
  notCollected: string[];
  /** With --fix, when a fix ran: what it did, and the root cause it fixed (the findings are those after it). */
  fixApplied?: { kind: string; result: string; rootCauseBefore: { id: string; category: Category } };
}

/** What `troubleshoot --output json` prints. */
export interface TroubleshootResult {
  schemaVersion: 1;
  context: string;
  gitlab: { url: string; version?: string } | null;
  installs: TroubleshootInstall[];
}

export function installResult(
  where: { namespace: string; release?: string; agent?: string },
  d: Diagnosis,
  fixes: FixProposal[],
  notCollected: string[],
): TroubleshootInstall {
  return {
    namespace: where.namespace,
    release: where.release ?? null,
    agent: where.agent ?? null,
    rootCause: d.rootCause,
    category: d.category,
    findings: d.findings,
    fixes,
    notCollected,
  };
}

/** A finding's detail lines: cause, fix, docs, then the verbatim evidence. */
function details(f: Finding): string[] {
  // A passed check's cause is "Nothing wrong found."; a skipped one's evidence repeats its cause.
  const evidence = f.evidence.filter((e) => e !== f.cause);
  return [
    ...(f.status === 'ok' ? [] : [f.cause]),
    ...(f.fix ? [`fix: ${f.fix}`] : []),
    ...(f.docsUrl ? [`docs: ${f.docsUrl}`] : []),
    ...(f.subject ? [`object: ${f.subject.kind} ${f.subject.namespace ? `${f.subject.namespace}/` : ''}${f.subject.name}`] : []),
    ...(evidence.length > 0 ? ['evidence:', ...evidence.map((e) => `  ${e}`)] : []),
  ];
}

function item(f: Finding, root: boolean): ResultItem {
  const mark = root ? 'root cause · ' : f.symptom ? 'symptom · ' : '';
  return { status: f.status, summary: `${mark}[${f.layer}] ${f.title} (${f.id}, ${f.category})`, details: details(f) };
}

/**
 * The screen's view: the causal chain (root cause first, then the other failures and warnings in layer
 * order), then every check that passed or was skipped, each expandable to its evidence.
 */
export function resultSections(d: Diagnosis, notCollected: string[]): ResultSection[] {
  const chain = causalChain(d.findings);
  const rest = d.findings.filter((f) => f.status === 'ok' || f.status === 'skip');
  const sections: ResultSection[] = [];
  if (chain.length > 0)
    sections.push({
      kind: 'items',
      title: 'Causal chain (first failing layer first)',
      items: chain.map((f, i) => item(f, i === 0 && d.rootCause !== null)),
    });
  sections.push({
    kind: 'items',
    title: `Checks passed (${rest.filter((f) => f.status === 'ok').length}) and skipped (${rest.filter((f) => f.status === 'skip').length})`,
    items: rest.map((f) => item(f, false)),
  });
  if (notCollected.length > 0) sections.push({ kind: 'lines', title: 'Not collected', lines: notCollected });
  return sections;
}

/** The headline: the root cause named, or healthy. */
export function headlineOf(name: string, d: Diagnosis): string {
  const root = d.rootCause ? d.findings.find((f) => f.id === d.rootCause!.id) : undefined;
  if (root) return `${name}: ${root.category} — ${root.title}`;
  const warns = d.findings.filter((f) => f.status === 'warn').length;
  if (d.category === 'not-the-agent')
    return `${name}: the agent is healthy; the fault is elsewhere (${warns} warning${warns === 1 ? '' : 's'}).`;
  return `${name}: healthy — no check failed${warns ? ` (${warns} warning${warns === 1 ? '' : 's'})` : ''}.`;
}
