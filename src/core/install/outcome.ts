import { CancelledError, ExitCode, FlowError, UsageError } from '../errors.js';
import type { LedgerEntry } from '../flow/events.js';
import type { FlowOutcome } from '../flow/outcome.js';
import type { InstallPlan } from '../plan/install-plan.js';

/** Commands that undo what this run created, newest first. */
export function cleanupCommands(plan: InstallPlan | undefined, created: LedgerEntry[]): string[] {
  const out: string[] = [];
  const ctx = plan ? ` --kube-context ${plan.context}` : '';
  for (const e of [...created].reverse()) {
    if (e.kind === 'release' && plan) out.push(`helm uninstall ${plan.release} -n ${plan.namespace}${ctx}`);
    if (e.kind === 'secret' && plan) out.push(`kubectl --context ${plan.context} -n ${plan.namespace} delete secret ${plan.tokenSecretName}`);
    if (e.kind === 'namespace' && plan) out.push(`kubectl --context ${plan.context} delete namespace ${plan.namespace}`);
    if (e.kind === 'token' && plan) out.push(`revoke agent token ${e.id}: ${plan.gitlabUrl}/${plan.projectPath}/-/clusters (agent ${plan.agentName} > Access tokens)`);
    if (e.kind === 'agent' && plan) out.push(`delete agent ${plan.agentName}: ${plan.gitlabUrl}/${plan.projectPath}/-/clusters`);
  }
  return out;
}

function leftBehind(plan: InstallPlan | undefined, ledger: LedgerEntry[]): string[] {
  const created = ledger.filter((e) => e.created && e.kind !== 'revoked-token');
  if (created.length === 0) return ['Nothing was created.'];
  return [
    'This run created: ' + created.map((e) => e.description).join(', ') + '.',
    'Re-run the same command to continue: it finds and reuses what exists.',
    'Or remove it:',
    ...cleanupCommands(plan, created).map((c) => `  ${c}`),
  ];
}

/** Turns however the flow ended into what every front end prints, with the documented exit code. */
export function failureOutcome(err: unknown, plan: InstallPlan | undefined, ledger: LedgerEntry[], extra: string[] = []): FlowOutcome {
  if (err instanceof UsageError) {
    // Bad input is one line; only if something was already created is there more to say.
    const created = ledger.some((e) => e.created);
    return { exitCode: ExitCode.usage, headline: err.line(), details: created ? leftBehind(plan, ledger) : [], ledger };
  }
  if (err instanceof CancelledError) {
    return { exitCode: ExitCode.cancelled, headline: 'Cancelled.', details: leftBehind(plan, ledger), ledger };
  }
  if (err instanceof FlowError) {
    const details = err.hint ? [`Next: ${err.hint}`, ...extra] : [...extra];
    return { exitCode: ExitCode.failure, headline: `${err.step} failed: ${err.message}`, details: [...details, ...leftBehind(plan, ledger)], ledger };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { exitCode: ExitCode.failure, headline: `Unexpected error: ${message}`, details: leftBehind(plan, ledger), ledger };
}
