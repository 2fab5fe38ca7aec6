import { ExitCode, UsageError } from '../../kernel/errors.js';
import type { FlowIO } from '../../kernel/io.js';
import type { FlowOutcome } from '../../kernel/outcome.js';
import { toOutcome } from '../../kernel/to-outcome.js';
import { optionError, validateOptions } from '../../options/catalogue.js';
import type { Ports } from '../../ports/index.js';
import type { KubeContextInfo } from '../../ports/kube/index.js';
import { AgentResolver } from '../../steps/lifecycle/agent-ref.js';
import { connectGitLab, type GitLabSession } from '../../steps/target/connect-gitlab.js';
import { readLocalInputs } from '../../steps/settings/read-local-inputs.js';
import { installStatus, statusLine, statusRow, STATUS_COLUMNS, unreachableRow, type InstallStatus } from './install-status.js';
import { lookAt, type ContextLook } from './look.js';
import { STATUS_OPTION_IDS, type StatusOptions } from './options.js';
import { statusResult, type StatusResult } from './result.js';
import { offerRotation } from './offer-rotation.js';

/** Which contexts to look in: --all-contexts, each --context (checked against the kubeconfig), or asked. */
async function pickContexts(opts: StatusOptions, contexts: KubeContextInfo[], io: FlowIO): Promise<string[]> {
  if (contexts.length === 0)
    throw new UsageError('kubeconfig', 'the kubeconfig has no contexts', 'add one with kubectl config set-context, or pass --kubeconfig');
  if (opts.allContexts) return contexts.map((c) => c.name);
  if (opts.contexts.length > 0) {
    for (const name of opts.contexts) {
      if (!contexts.some((c) => c.name === name))
        throw optionError('contexts', `unknown context "${name}"`, `choose from: ${contexts.map((c) => c.name).join(', ')}`);
    }
    return [...new Set(opts.contexts)];
  }
  const current = contexts.find((c) => c.current) ?? contexts[0]!;
  if (contexts.length === 1) return [current.name];
  return io.asker.ask({
    kind: 'multiselect',
    id: 'contexts',
    flag: '--context',
    message: 'Which clusters should be looked at?',
    help: 'Space toggles; --all-contexts looks at every one.',
    choices: contexts.map((c) => ({ value: c.name, label: c.name, hint: `${c.server}${c.current ? ' · current' : ''}` })),
    default: [current.name],
    min: 1,
  });
}

/**
 * Status: every agent install in one context or several, probed at once (an unreachable context is
 * reported at the probe timeout and holds up nobody), each with pod health, agentk version against
 * GitLab's, the connection GitLab sees and its token's age and last use. Read-only, unless the user
 * then picks an install whose token to rotate. Exit 0 when every install is healthy, else 1.
 */
export async function runStatus(opts: StatusOptions, ports: Ports, io: FlowIO): Promise<FlowOutcome<StatusResult>> {
  try {
    validateOptions(STATUS_OPTION_IDS, opts);
    const local = await readLocalInputs({ values: [], gitlabCa: opts.gitlabCa, kasCaCert: undefined, allowExpiredCa: false }, ports.files);
    const source = { kubeconfig: opts.kubeconfig };
    const contexts = await pickContexts(opts, await ports.kube.listContexts(source), io);

    // GitLab is asked once, while the clusters are probed; without it the cluster side is still shown.
    let session: GitLabSession | undefined;
    const gitlabReady = (async () => {
      io.emit({ type: 'step', step: 'gitlab', title: 'GitLab', status: 'running', activity: 'a GitLab request' });
      try {
        session = await connectGitLab(opts.gitlabUrl, local.gitlabCa, ports, io);
        io.emit({
          type: 'step',
          step: 'gitlab',
          title: 'GitLab',
          status: 'done',
          detail: `${session.client.url} · GitLab ${session.metadata.version} · ${session.user.username}`,
        });
        return { client: session.client, resolver: new AgentResolver(session.client, opts.project), why: '' };
      } catch (err) {
        const why = err instanceof UsageError ? err.line() : (err as Error).message;
        io.emit({ type: 'step', step: 'gitlab', title: 'GitLab', status: 'skipped', detail: `not asked: ${why}` });
        return { why: 'GitLab not asked' };
      }
    })();

    const now = ports.clock.now();
    const looks: { look: ContextLook; statuses: InstallStatus[] }[] = await Promise.all(
      contexts.map(async (context) => {
        const step = `status:${context}`;
        const scope = { id: context, label: context };
        io.emit({ type: 'step', step, title: context, status: 'running', activity: 'the cluster probes', scope });
        const look = await lookAt(context, source, opts.namespace, ports, () => gitlabReady);
        if (!look.reachable) {
          io.emit({ type: 'step', step, title: context, status: 'skipped', detail: `unreachable: ${look.error}`, scope });
          return { look, statuses: [] };
        }
        await gitlabReady;
        const statuses = look.installs.map((i) => installStatus(i.install, i.gitlab, session?.metadata.version, now));
        for (const s of statuses) io.emit({ type: s.healthy ? 'info' : 'warn', text: statusLine(context, s), scope });
        const sick = statuses.filter((s) => !s.healthy).length;
        const detail =
          statuses.length === 0
            ? 'no agent installs'
            : `${statuses.length} agent${statuses.length === 1 ? '' : 's'}${sick ? `, ${sick} unhealthy` : ''}`;
        io.emit({ type: 'step', step, title: context, status: 'done', detail, scope });
        return { look, statuses };
      }),
    );
    await gitlabReady;

    const rows = looks.flatMap(({ look, statuses }) =>
      look.reachable ? statuses.map((s) => statusRow(look.context, s)) : [unreachableRow(look.context, look.error)],
    );
    const result = statusResult(looks, session);
    const total = looks.reduce((n, l) => n + l.statuses.length, 0);
    const unreachable = looks.filter((l) => !l.look.reachable).length;
    const sick = looks.reduce((n, l) => n + l.statuses.filter((s) => !s.healthy).length, 0);
    const where = `${contexts.length} context${contexts.length === 1 ? '' : 's'}`;
    const headline =
      total === 0 && unreachable === 0
        ? `No agent installs found in ${where}.`
        : `${total} agent${total === 1 ? '' : 's'} in ${where}: ${sick === 0 && unreachable === 0 ? 'all healthy' : [sick ? `${sick} unhealthy` : '', unreachable ? `${unreachable} context${unreachable === 1 ? '' : 's'} unreachable` : ''].filter(Boolean).join(', ')}.`;
    const details = looks.flatMap((l) =>
      l.statuses.flatMap((s) => s.problems.map((p) => `${l.look.context} · ${s.install.namespace}/${s.install.release ?? '?'}: ${p}`)),
    );
    if (!session) details.push('GitLab was not asked: connection and token columns are unknown (set GITLAB_TOKEN, or pass --gitlab-url).');

    const rotated = session
      ? await offerRotation(
          looks.flatMap((l) => l.statuses),
          session,
          opts,
          ports,
          io,
        )
      : undefined;
    return {
      exitCode: result.healthy ? ExitCode.ok : ExitCode.failure,
      headline,
      details: [...details, ...(rotated ? ['', rotated.headline, ...rotated.details] : [])],
      ledger: rotated?.ledger ?? [],
      data: { ...result, ...(rotated?.data ? { rotation: rotated.data } : {}) },
      // An empty table (headings over nothing) says less than the headline already does.
      sections: rows.length > 0 ? [{ kind: 'table', title: 'Agents', columns: STATUS_COLUMNS, rows }] : [],
    };
  } catch (err) {
    return toOutcome(err, []) as FlowOutcome<StatusResult>;
  }
}
