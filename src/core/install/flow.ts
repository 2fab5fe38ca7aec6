import { ExitCode, FlowError, UsageError } from '../errors.js';
import type { FlowIO, FlowOutcome } from '../flow/outcome.js';
import { pasteableHelmCommand } from '../plan/helm-command.js';
import { helmValuesYaml } from '../plan/helm-values.js';
import type { InstallPlan } from '../plan/install-plan.js';
import { helmVersionProblem, recommendedImageTag } from '../plan/versions.js';
import type { GitLabClient } from '../ports/gitlab.js';
import type { KubeCluster } from '../ports/kube.js';
import { removeCreated, type CleanupTargets } from './cleanup.js';
import { commitAgentConfig, ensureNamespace, provideToken, registerAgent, runHelm } from './apply.js';
import { awaitConnected } from './await-connected.js';
import { crashLogs, watchUntilReady, type ReadinessFailure } from './await-ready.js';
import { chooseContext, probeFailureMessage } from './choose-context.js';
import { chooseOptions, type ChosenOptions } from './choose-options.js';
import { readLocalInputs } from './local-inputs.js';
import { chooseAgent, chooseProject } from './choose-project.js';
import { connectGitLab, explainGitLabError } from './connect-gitlab.js';
import type { InstallDeps } from './deps.js';
import { Ledger } from './ledger.js';
import type { InstallOptions } from './options.js';
import { failureOutcome } from './outcome.js';
import { preflight, type PreflightResult } from './preflight.js';
import { reviewItems } from './review.js';
import { StepRunner } from './step-runner.js';
import { validateInstallOptions } from './validate-options.js';

/**
 * The guided install: gather every answer, check everything read-only, show the review,
 * then create (agent, token Secret, release), watch until Ready, and confirm GitLab sees the agent.
 * Nothing is created before the review is accepted.
 */
export async function runInstall(opts: InstallOptions, deps: InstallDeps, io: FlowIO): Promise<FlowOutcome> {
  const ledger = new Ledger(io.emit);
  const steps = new StepRunner(io.emit, io.signal);
  let plan: InstallPlan | undefined;
  let cluster: KubeCluster | undefined;
  let client: GitLabClient | undefined;
  try {
    validateInstallOptions(opts);
    const { gitlabCa, kasCa: earlyCa } = await readLocalInputs(opts, deps);
    const source = { kubeconfig: opts.kubeconfig };
    const chosen = await steps.run('context', 'Kubernetes context', async (ctl) => {
      const c = await chooseContext(source, opts.context, deps, io);
      if (!c.probe.ok) {
        if (!opts.dryRun) throw probeFailureMessage(c.context.name, c.probe);
        io.emit({ type: 'warn', text: `context ${c.context.name} is not reachable (${c.probe.message}); dry run continues without cluster checks` });
      }
      ctl.detail(`${c.context.name} · ${c.probe.ok ? `Kubernetes ${c.probe.serverVersion}` : 'unreachable'}`);
      return c;
    });
    const reachable = chosen.probe.ok;

    const method =
      opts.method ??
      (opts.yes
        ? 'helm'
        : await io.asker.ask({
            kind: 'select',
            id: 'method',
            flag: '--method',
            message: 'How should the agent be installed?',
            choices: [
              { value: 'helm', label: 'Helm', hint: 'recommended by GitLab' },
              { value: 'advanced', label: 'Advanced (manifests)', disabled: 'not available in this version yet' },
            ],
            default: 'helm',
          }));
    if (method !== 'helm') throw new UsageError('--method', 'only the Helm method is available in this version', 'use --method helm');

    await steps.run('helm', 'Helm', async (ctl) => {
      try {
        const v = await deps.helm.version();
        const problem = helmVersionProblem(v.version);
        if (problem) throw new UsageError('helm', problem, 'install a newer helm: https://helm.sh/docs/intro/install/');
        ctl.detail(v.version);
      } catch (err) {
        if (!opts.dryRun || err instanceof UsageError) throw err;
        io.emit({ type: 'warn', text: `helm: ${(err as Error).message}` });
        ctl.skip('not found (dry run)');
      }
    });

    const session = await steps.run('gitlab', 'GitLab', async (ctl) => {
      const s = await connectGitLab(opts.gitlabUrl, gitlabCa, deps, io);
      ctl.detail(`${s.client.url} · GitLab ${s.metadata.version} · signed in as ${s.user.username}`);
      return s;
    });
    const kasAddress = opts.kasAddress ?? session.metadata.kas.externalUrl ?? undefined;
    if (!kasAddress) {
      throw new UsageError('--kas-address', `${session.client.url} reports no agent server (KAS is disabled)`, 'ask your GitLab admin to enable KAS, or pass --kas-address');
    }

    const project = await steps.run('project', 'Project', async (ctl) => {
      const p = await chooseProject(opts.project, session, io);
      ctl.detail(p.pathWithNamespace);
      return p;
    });
    const agent = await steps.run('agent', 'Agent', async (ctl) => {
      const a = await chooseAgent(opts.agent, project, session, io, opts.yes);
      ctl.detail(a.existing ? `${a.name} (exists, id ${a.existing.id})` : `${a.name} (new)`);
      return a;
    });

    const options: ChosenOptions = await steps.run('options', 'Options', async (ctl) => {
      const o = await chooseOptions({
        opts,
        preloadedCa: earlyCa,
        deps,
        io,
        context: chosen.context.name,
        gitlabUrl: session.client.url,
        gitlabVersion: session.metadata.version,
        recommendedTag: recommendedImageTag(session.client.url, session.metadata),
        kasAddress,
        project,
        agentName: agent.name,
        agentId: agent.existing?.id,
      });
      ctl.detail(`namespace ${o.plan.namespace}, release ${o.plan.release}`);
      return o;
    });
    plan = options.plan;
    for (const w of options.warnings) io.emit({ type: 'warn', text: w });

    client = session.client;
    let pre: PreflightResult | undefined;
    if (reachable) {
      cluster = await deps.kube.cluster(source, plan.context);
      const activePlan = plan;
      pre = await steps.run('preflight', 'Preflight checks', async (ctl) => {
        const r = await preflight(cluster!, deps.helm, session.client, activePlan, opts.revokeToken, io, opts.yes);
        for (const note of r.notes) io.emit({ type: 'info', text: note });
        ctl.detail('permissions ok');
        return r;
      });
    }

    io.emit({ type: 'review', items: reviewItems(plan, pre, options.ca, session.tokenSource), command: pasteableHelmCommand(plan) });
    if (opts.valuesOut) {
      await deps.files.writeText(opts.valuesOut, helmValuesYaml(plan));
      io.emit({ type: 'info', text: `values written to ${opts.valuesOut} (no token in them)` });
    }
    if (opts.dryRun) {
      return {
        exitCode: ExitCode.ok,
        headline: 'Dry run: nothing was created.',
        details: ['The install would run:', pasteableHelmCommand(plan)],
        ledger: ledger.entries,
      };
    }
    for (;;) {
      const choice = opts.yes
        ? 'apply'
        : await io.asker.ask({
            kind: 'select',
            id: 'review',
            message: 'Install with these settings?',
            choices: [
              { value: 'apply', label: 'Install', hint: 'register, create the token Secret, run helm' },
              { value: 'save-values', label: 'Write the values to a file', hint: 'for GitOps; no token in it' },
              { value: 'cancel', label: 'Cancel', hint: 'nothing has been created' },
            ],
            default: 'apply',
          });
      if (choice === 'apply') break;
      if (choice === 'cancel') return { exitCode: ExitCode.cancelled, headline: 'Cancelled at review: nothing was created.', details: [], ledger: ledger.entries };
      const path = await io.asker.ask({ kind: 'input', id: 'values-path', message: 'Write values to', default: `./${plan.release}-values.yaml` });
      await deps.files.writeText(path, helmValuesYaml(plan));
      io.emit({ type: 'info', text: `values written to ${path} (no token in them)` });
    }
    if (!cluster || !pre) throw new FlowError('context', 'the cluster is not reachable');
    const p = plan;
    const preflightResult = pre;
    const liveCluster = cluster;
    const installStart = deps.clock.now();

    const agentId = await steps.run('register', 'Register agent', async (ctl) => {
      const id = await registerAgent(session.client, p, ledger);
      ctl.detail(p.agentId !== undefined ? `reusing ${p.agentName} (id ${id})` : `registered ${p.agentName} (id ${id})`);
      return id;
    });
    if (p.createConfig !== 'none') {
      await steps.run('config', 'Agent configuration file', async (ctl) => {
        ctl.detail(await commitAgentConfig(session.client, p, project.defaultBranch ?? 'main', ledger));
      });
    }
    await steps.run('namespace', 'Namespace', async (ctl) => ctl.detail(await ensureNamespace(liveCluster, p, preflightResult, ledger)));
    const token = await steps.run('token', 'Agent token', async (ctl) => {
      const t = await provideToken(session.client, liveCluster, p, agentId, preflightResult, ledger);
      ctl.detail(t.detail);
      return t;
    });

    const readiness = watchUntilReady(liveCluster, p.namespace, p.release, p.timeoutMs, deps.clock, io);
    try {
      await steps.run('helm-install', 'helm upgrade --install', async (ctl) => {
        const log = opts.helmLog ? await deps.files.openLog(opts.helmLog) : undefined;
        await runHelm(deps.helm, p, io, ledger, preflightResult.releaseExists, log);
        if (opts.helmLog) io.emit({ type: 'info', text: `helm's full output is in ${opts.helmLog}` });
        readiness.arm();
        ctl.detail(`release ${p.release} in ${p.namespace}`);
      });
      await steps.run('ready', 'Agent pods Ready', async (ctl) => {
        try {
          const verdict = await readiness.done;
          ctl.detail(verdict.progress);
        } catch (err) {
          const failure = err as ReadinessFailure;
          if (failure.findings) failure.logLines = await crashLogs(liveCluster, p.namespace, failure.findings);
          throw failure;
        }
      });
    } finally {
      readiness.stop();
    }

    const connection = await steps.run('connected', 'Connected to GitLab', async (ctl) => {
      const how = await awaitConnected(
        session.client,
        { projectId: p.projectId, projectPath: p.projectPath, agentId, agentName: p.agentName, tokenId: token.tokenId },
        installStart,
        opts.connectTimeoutMs,
        deps.connectPollMs ?? 5000,
        deps.clock,
        io.signal,
      );
      ctl.detail(how);
      return how;
    });

    const agentPage = `${p.gitlabUrl}/${p.projectPath}/-/cluster_agents/${p.agentName}`;
    const lines = [
      `Agent ${p.agentName} (id ${agentId}): ${agentPage}`,
      `Token: ${token.tokenId !== undefined ? `id ${token.tokenId}` : 'your own'} in Secret ${p.namespace}/${p.tokenSecretName}`,
      `Release ${p.release} in namespace ${p.namespace} on context ${p.context}`,
      `GitLab sees it: ${connection}`,
      `Upgrade: run this install again with the same answers and a new --image-tag or --chart-version`,
      `Uninstall: helm uninstall ${p.release} -n ${p.namespace} --kube-context ${p.context}, then delete the agent in GitLab`,
    ];
    return { exitCode: ExitCode.ok, headline: `Agent ${p.agentName} is installed, Ready and connected.`, details: lines, ledger: ledger.entries };
  } catch (err) {
    const logs = (err as ReadinessFailure).logLines;
    const extra = logs && logs.length > 0 ? ['Last agent log lines:', ...logs.map((l) => `  ${l}`)] : [];
    // GitLab's 5xx and network failures in later steps get the same Next: hint as in the connect step.
    const shown = explainGitLabError(client?.url, err);
    const outcome = failureOutcome(shown, plan, ledger.entries, extra);
    if (outcome.exitCode !== ExitCode.failure || !plan || ledger.created.length === 0) return outcome;
    const cleaned = await offerCleanup(outcome.headline, { plan, cluster, client, helm: deps.helm }, ledger, opts, io);
    if (!cleaned) return outcome;
    const base = failureOutcome(shown, plan, [], extra);
    return { ...base, details: [...base.details.filter((d) => d !== 'Nothing was created.'), 'Cleaned up:', ...cleaned.map((r) => `  ${r}`)], ledger: ledger.entries };
  }
}

/** After a failure, remove what this run created: with --cleanup-on-failure, or when the user says so. */
async function offerCleanup(headline: string, targets: CleanupTargets, ledger: Ledger, opts: InstallOptions, io: FlowIO): Promise<string[] | undefined> {
  let wanted = opts.cleanupOnFailure ?? false;
  if (!wanted && !opts.yes) {
    wanted = await io.asker
      .ask({
        kind: 'confirm',
        id: 'cleanup',
        message: `${headline} Remove what this run created (${ledger.created.map((e) => e.kind).join(', ')})?`,
        help: 'No keeps everything, so a re-run can continue where this one stopped.',
        default: false,
      })
      .catch(() => false);
  }
  return wanted ? removeCreated(ledger.entries, targets, io) : undefined;
}
