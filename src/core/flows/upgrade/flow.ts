import { installKey } from '../../discovery/agent-install.js';
import { findInstalls } from '../../discovery/find-installs.js';
import { checkHelm } from '../../delivery/helm/tools.js';
import { ExitCode, FlowError } from '../../kernel/errors.js';
import type { ReviewDiff, ReviewItem } from '../../kernel/events.js';
import type { FlowIO } from '../../kernel/io.js';
import type { FlowOutcome } from '../../kernel/outcome.js';
import { StepRunner } from '../../kernel/step-runner.js';
import { CANCELLED_HEADLINE, toOutcome } from '../../kernel/to-outcome.js';
import { CancelledError } from '../../kernel/errors.js';
import { validateOptions } from '../../options/catalogue.js';
import { installName } from '../../plan/lifecycle/install-health.js';
import { versionSkew } from '../../plan/lifecycle/version-skew.js';
import type { Ports } from '../../ports/index.js';
import { AgentResolver, type AgentRef } from '../../steps/lifecycle/agent-ref.js';
import { chooseInstalls } from '../../steps/lifecycle/choose-installs.js';
import { readRelease } from '../../steps/lifecycle/read-release.js';
import { readLocalInputs } from '../../steps/settings/read-local-inputs.js';
import { chooseContext, probeFailureMessage } from '../../steps/target/choose-context.js';
import { connectGitLab } from '../../steps/target/connect-gitlab.js';
import { applyUpgrade, type UpgradeRow } from './apply.js';
import { fluxUpgradeLines } from './flux.js';
import { UPGRADE_OPTION_IDS, type UpgradeOptions } from './options.js';
import { prepareUpgrade, type PreparedUpgrade } from './prepare.js';
import { chooseTarget } from './target.js';

const GITLAB = 'a GitLab request';

/** What `upgrade --output json` prints (README documents it). */
export interface UpgradeResultDoc {
  schemaVersion: 1;
  context: string;
  upgrades: {
    namespace: string;
    release: string;
    from: { chart?: string; agentVersion?: string; revision: number };
    to: { chart?: string; agentVersion?: string; revision?: number };
    result: UpgradeRow['result'] | 'skipped' | 'dry-run';
    error?: string;
  }[];
}

const RESULT_WORD: Record<UpgradeResultDoc['upgrades'][number]['result'], string> = {
  upgraded: '✓ upgraded',
  'rolled-back': '✗ rolled back',
  failed: '✗ failed',
  'rollback-failed': '✗ failed, rollback too',
  'not-started': '✗ failed, unchanged',
  flux: '- Flux: change it in Git',
  skipped: '- not attempted',
  'dry-run': '- dry run',
};

function reviewItems(prepared: PreparedUpgrade[], gitlabVersion: string): ReviewItem[] {
  return prepared.flatMap((p) => {
    const skew = versionSkew(p.to.agentVersion, gitlabVersion);
    return [
      { label: installName(p.install), value: `revision ${p.revision}: ${p.from.chart ?? '?'} → ${p.to.chart ?? 'newest chart'}` },
      {
        label: '  agentk',
        value: `${p.from.agentVersion ?? '?'} → ${p.to.agentVersion ?? "chart's appVersion"}`,
        ...(skew.verdict === 'unsupported' || skew.verdict === 'upgrade-recommended' ? { warning: skew.note } : {}),
      },
    ];
  });
}

/**
 * Upgrade: pick installs (or --release), choose the target (GitLab's recommended agentk by default) and any
 * setting to change, show the diff of values (credentials masked) and of the rendered manifests, then
 * upgrade one after another, each watched to Ready and connected, with a rollback offered on failure.
 * Stops at the first failure unless --continue-on-failure (or the user says go on).
 */
export async function runUpgrade(opts: UpgradeOptions, ports: Ports, io: FlowIO): Promise<FlowOutcome<UpgradeResultDoc>> {
  const steps = new StepRunner(io.emit, io.signal);
  const rows: UpgradeRow[] = [];
  let context = '';
  try {
    validateOptions(UPGRADE_OPTION_IDS, opts);
    const local = await readLocalInputs(opts, ports.files);
    const source = { kubeconfig: opts.kubeconfig };
    // helm, helm's list of releases and GitLab need no cluster client: with --context given (nothing to ask
    // first) they start now, beside client-node's start and the context probe; otherwise once it is chosen.
    const helmStep = () =>
      steps.run(
        'helm',
        'Helm',
        async (ctl) => {
          const r = await checkHelm(ports, false, io);
          if (r.detail) ctl.detail(r.detail);
        },
        'helm',
      );
    const gitlabStep = () =>
      steps.run(
        'gitlab',
        'GitLab',
        async (ctl) => {
          const s = await connectGitLab(opts.gitlabUrl, local.gitlabCa, ports, io);
          ctl.detail(`${s.client.url} · GitLab ${s.metadata.version} · signed in as ${s.user.username}`);
          return s;
        },
        GITLAB,
      );
    const ahead = opts.context
      ? {
          helm: helmStep(),
          gitlab: gitlabStep(),
          releases: ports.helm.listReleases({ kubeconfig: opts.kubeconfig, context: opts.context }, opts.namespace),
        }
      : undefined;
    // Awaited below once the context is confirmed; a context that fails is the error to report, not these.
    if (ahead) for (const p of [ahead.helm, ahead.gitlab, ahead.releases]) p.catch(() => undefined);
    const chosen = await steps.run(
      'context',
      'Kubernetes context',
      async (ctl) => {
        const c = await chooseContext(source, opts.context, ports, io, { message: 'Which cluster are the agents in?' });
        if (!c.probe.ok) throw probeFailureMessage(c.context.name, c.probe);
        ctl.detail(`${c.context.name} · Kubernetes ${c.probe.serverVersion}`);
        return c;
      },
      'the cluster probes',
    );
    context = chosen.context.name;
    // helm, the installs and GitLab are independent: asked at once (a token prompt, if any, comes first).
    const cluster = await ports.kube.cluster(source, context);
    const releaseRef = (namespace: string, release: string) => ({ kubeconfig: opts.kubeconfig, context, namespace, release });
    // --namespace and --release name the install before discovery confirms it: its read starts now, beside it.
    const early =
      opts.namespace && opts.release ? readRelease(cluster, ports.helm, releaseRef(opts.namespace, opts.release), ports.env) : undefined;
    early?.catch(() => undefined); // used (and its failure reported) only if discovery finds that install
    const releases = ahead ? { listReleases: () => ahead.releases } : ports.helm;
    const [, installs, session] = await Promise.all([
      ahead?.helm ?? helmStep(),
      steps.run(
        'discover',
        'Agent installs',
        async (ctl) => {
          const found = await findInstalls(cluster, releases, { kubeconfig: opts.kubeconfig, context }, opts.namespace);
          ctl.detail(`${found.length} found`);
          return found;
        },
        'a Kubernetes request',
      ),
      ahead?.gitlab ?? gitlabStep(),
    ]);
    const picked = await chooseInstalls(
      installs,
      {
        release: opts.release,
        namespace: opts.namespace,
        verb: 'upgrade',
        unusable: (i) =>
          i.method === 'unknown'
            ? 'not a helm release'
            : i.releaseStatus?.startsWith('pending')
              ? `helm is busy with it (${i.releaseStatus})`
              : undefined,
      },
      context,
      io,
    );
    // Each release is read (values, manifest, history) while the target is chosen: the reads need no answer,
    // and the advanced options' defaults wait only for the first one's values.
    const helmManaged = picked.filter((i) => i.method === 'helm');
    const reads = helmManaged.map((i) =>
      early && i.namespace === opts.namespace && i.release === opts.release
        ? early
        : readRelease(cluster, ports.helm, releaseRef(i.namespace, i.release!), ports.env),
    );
    for (const r of reads) r.catch(() => undefined); // awaited below; not an unhandled rejection while questions are asked
    const firstValues = async () => (reads[0] ? (await reads[0]).values : {});
    const target = await chooseTarget(opts, local, session, ports.files, firstValues, io);
    for (const w of target.warnings) io.emit({ type: 'warn', text: w });

    const flux = picked.filter((i) => i.method === 'flux');
    const fluxLines = (await Promise.all(flux.map((i) => fluxUpgradeLines(i, target, cluster)))).flat();
    for (const line of fluxLines) io.emit({ type: 'info', text: line });

    const prepared = await steps.run(
      'prepare',
      'Render the target chart',
      async (ctl) => {
        const states = await Promise.all(reads);
        const all = await Promise.all(helmManaged.map((i, n) => prepareUpgrade(i, states[n]!, target, opts.kubeconfig, ports, io)));
        const from = (n: number) => (states[n]!.source === 'release-secrets' ? "read from helm's release Secrets" : 'read with helm get');
        ctl.detail(
          all
            .map(
              (p, n) =>
                `${installName(p.install)}: ${p.manifestDiff.filter((l) => /^[~+-] /.test(l)).length} object(s) change (${from(n)})`,
            )
            .join('; ') || 'nothing to render',
        );
        return all;
      },
      'helm template',
    );
    const resolver = new AgentResolver(session.client, opts.project);
    const agents = new Map<string, AgentRef | undefined>();
    for (const p of prepared) {
      const found = await resolver.resolve(p.install);
      agents.set(installKey(p.install), 'ref' in found ? found.ref : undefined);
    }

    const diffs: ReviewDiff[] = prepared.flatMap((p) => [
      { title: `Values of ${installName(p.install)} (credentials masked)`, lines: p.valuesDiff },
      { title: `What the chart changes in ${installName(p.install)}`, lines: p.manifestDiff },
    ]);
    io.emit({
      type: 'review',
      items: [
        { label: 'Cluster context', value: context },
        ...reviewItems(prepared, session.metadata.version),
        ...flux.map((i) => ({ label: installName(i), value: 'managed by Flux: not upgraded here', warning: 'change it in Git' })),
      ],
      command: prepared.map((p) => p.command).join('\n\n') || '(nothing for helm to do)',
      diffs,
      commandTitle: 'Equivalent helm commands (values on stdin, as this tool passes them):',
    });
    const doc = (list: UpgradeRow[], pending: PreparedUpgrade[], pendingResult: 'skipped' | 'dry-run'): UpgradeResultDoc => ({
      schemaVersion: 1,
      context,
      upgrades: [
        ...list.map((r) => docRow(r.prepared, r.result, r.revision, r.error)),
        ...pending.map((p) => docRow(p, pendingResult)),
        ...flux.map((i) => ({
          namespace: i.namespace,
          release: i.release ?? '',
          from: { chart: i.chart, agentVersion: i.agentVersion, revision: i.revision ?? 0 },
          to: {},
          result: 'flux' as const,
        })),
      ],
    });
    if (opts.dryRun) {
      const data = doc([], prepared, 'dry-run');
      return {
        exitCode: ExitCode.ok,
        headline: 'Dry run: nothing was changed.',
        details: fluxLines,
        ledger: [],
        data,
        sections: [
          table(data),
          ...(prepared.length > 0
            ? [{ kind: 'code' as const, title: 'The upgrade would run:', text: prepared.map((p) => p.command).join('\n\n') }]
            : []),
        ],
      };
    }
    if (prepared.length === 0) {
      const data = doc([], [], 'skipped');
      return {
        exitCode: ExitCode.failure,
        headline: 'Nothing was upgraded: every chosen install is managed by Flux.',
        details: fluxLines,
        ledger: [],
        data,
        sections: [table(data)],
      };
    }
    const go = await io.asker.ask({
      kind: 'select',
      id: 'review',
      message:
        prepared.length === 1
          ? `Upgrade ${installName(prepared[0]!.install)}?`
          : `Upgrade these ${prepared.length} installs, one after another?`,
      choices: [
        { value: 'upgrade', label: 'Upgrade', hint: 'helm upgrade, then watch Ready and connected' },
        { value: 'cancel', label: 'Cancel', hint: 'nothing has been changed' },
      ],
      default: 'upgrade',
    });
    if (go === 'cancel')
      return { exitCode: ExitCode.cancelled, headline: 'Cancelled at review: nothing was changed.', details: [], ledger: [] };

    let stopped = false;
    for (const [n, p] of prepared.entries()) {
      const row = await applyUpgrade(p, target, session, agents.get(installKey(p.install)), cluster, opts, ports, io);
      rows.push(row);
      const left = prepared.length - n - 1;
      if (row.result !== 'upgraded' && left > 0) {
        const goOn =
          opts.continueOnFailure === true ||
          (await io.asker.ask({
            kind: 'confirm',
            id: 'continue',
            flag: '--continue-on-failure',
            message: `Continue with the remaining ${left} install${left === 1 ? '' : 's'}?`,
            default: false,
          }));
        if (!goOn) {
          stopped = true;
          break;
        }
      }
    }
    const data = doc(rows, prepared.slice(rows.length), 'skipped');
    const ok = rows.filter((r) => r.result === 'upgraded').length;
    const failed = rows.filter((r) => r.result !== 'upgraded');
    const all = ok === prepared.length && flux.length === 0;
    return {
      exitCode: all ? ExitCode.ok : ExitCode.failure,
      headline:
        failed.length === 0
          ? `${ok === 1 ? `${installName(prepared[0]!.install)} is` : `${ok} installs are`} upgraded, Ready and connected.`
          : `${failed.length} of ${prepared.length} upgrade${prepared.length === 1 ? '' : 's'} failed${stopped ? '; the rest were not attempted' : ''}.`,
      details: [
        ...failed.map(
          (r) =>
            `${installName(r.prepared.install)}: ${r.error ?? r.result}${r.result === 'rolled-back' ? ` (rolled back: revision ${r.revision} runs ${r.prepared.from.agentVersion ?? 'the previous version'})` : ''}`,
        ),
        ...fluxLines,
      ],
      ledger: [],
      data,
      sections: [table(data)],
    };
  } catch (err) {
    if ((err instanceof CancelledError || io.signal.aborted) && rows.length > 0) {
      return {
        exitCode: ExitCode.cancelled,
        headline: CANCELLED_HEADLINE,
        details: rows.map((r) => `${installName(r.prepared.install)}: ${RESULT_WORD[r.result]}`),
        ledger: [],
      };
    }
    const outcome = toOutcome(err, []) as FlowOutcome<UpgradeResultDoc>;
    if (err instanceof CancelledError || io.signal.aborted) {
      return {
        ...outcome,
        details: ['An upgrade in progress may have left a new revision: `helm history` shows it, `helm rollback` undoes it.'],
      };
    }
    return err instanceof FlowError && rows.length > 0
      ? { ...outcome, details: [...outcome.details, ...rows.map((r) => `${installName(r.prepared.install)}: ${RESULT_WORD[r.result]}`)] }
      : outcome;
  }
}

function docRow(
  p: PreparedUpgrade,
  result: UpgradeResultDoc['upgrades'][number]['result'],
  revision?: number,
  error?: string,
): UpgradeResultDoc['upgrades'][number] {
  return {
    namespace: p.install.namespace,
    release: p.release,
    from: { ...p.from, revision: p.revision },
    to: { ...p.to, ...(revision !== undefined ? { revision } : {}) },
    result,
    ...(error ? { error } : {}),
  };
}

function table(data: UpgradeResultDoc): { kind: 'table'; title: string; columns: string[]; rows: string[][] } {
  return {
    kind: 'table',
    title: 'Upgrades',
    columns: ['AGENT', 'FROM', 'TO', 'RESULT'],
    rows: data.upgrades.map((u) => [
      `${u.namespace}/${u.release}`,
      `${u.from.chart ?? '?'} · ${u.from.agentVersion ?? '?'}`,
      `${u.to.chart ?? 'newest'} · ${u.to.agentVersion ?? 'appVersion'}`,
      RESULT_WORD[u.result],
    ]),
  };
}
