import { stringify } from 'yaml';
import { installKey } from '../../discovery/agent-install.js';
import { CancelledError, FlowError } from '../../kernel/errors.js';
import type { EventScope } from '../../kernel/events.js';
import type { FlowIO } from '../../kernel/io.js';
import { StepRunner } from '../../kernel/step-runner.js';
import { buildHelmRollbackArgs, buildHelmUpgradeExistingArgs } from '../../plan/helm/lifecycle-argv.js';
import { installName } from '../../plan/lifecycle/install-health.js';
import type { Ports } from '../../ports/index.js';
import type { KubeCluster } from '../../ports/kube/index.js';
import type { AgentRef } from '../../steps/lifecycle/agent-ref.js';
import type { GitLabSession } from '../../steps/target/connect-gitlab.js';
import { awaitConnected } from '../../steps/verify/await-connected.js';
import { crashLogs, ReadinessError, watchUntilReady, type ReadinessWatch } from '../../steps/verify/await-ready.js';
import type { UpgradeOptions } from './options.js';
import type { PreparedUpgrade } from './prepare.js';
import type { UpgradeTarget } from './target.js';

type UpgradeResult = 'upgraded' | 'rolled-back' | 'failed' | 'rollback-failed' | 'not-started' | 'flux';

export interface UpgradeRow {
  prepared: PreparedUpgrade;
  result: UpgradeResult;
  revision?: number;
  error?: string;
  connection?: string;
}

/** One helm command's output, streamed into the log pane (and the --helm-log file). */
async function helm(
  ports: Ports,
  io: FlowIO,
  args: string[],
  stdin: string | undefined,
  log: { write(line: string): void } | undefined,
  signal: AbortSignal,
): Promise<void> {
  const r = await ports.helm.run({
    args,
    ...(stdin !== undefined ? { stdin } : {}),
    onLine: (line, stream) => {
      log?.write(line);
      io.emit({ type: 'log', source: 'helm', line, stream });
    },
    signal,
  });
  if (r.exitCode !== 0) {
    const last = r.stderrTail.filter((l) => l.trim()).at(-1) ?? 'no error output';
    throw new FlowError('helm', `helm ${args[0]} exited with code ${r.exitCode}: ${last.replace(/^Error: /, '')}`);
  }
}

/**
 * The rollout watch of an install that runs already, started before helm so the new pods are seen as they
 * come; it judges from when the new spec shows up (or helm returns and arms it), never the old pods.
 */
function watchRollout(
  cluster: KubeCluster,
  p: PreparedUpgrade,
  selector: string,
  timeoutMs: number,
  ports: Ports,
  io: FlowIO,
): ReadinessWatch {
  return watchUntilReady(cluster, { namespace: p.install.namespace, selector }, timeoutMs, ports.clock, io, { existing: true });
}

/** Ready as install waits for it: the watch armed (helm applied the spec), so the verdict is of the new one. */
async function ready(cluster: KubeCluster, p: PreparedUpgrade, watch: ReadinessWatch): Promise<string> {
  watch.arm();
  try {
    return (await watch.done).progress;
  } catch (err) {
    if (err instanceof ReadinessError) throw err.withLogs(await crashLogs(cluster, p.install.namespace, err.findings));
    throw err;
  } finally {
    watch.stop();
  }
}

/**
 * Upgrades one install: helm upgrade with the values on stdin, the rollout watched to Ready, GitLab
 * asked until it sees a fresh connection; on failure a rollback to the revision it ran before is
 * offered (--rollback-on-failure takes it without asking), and that rollout is watched too.
 */
export async function applyUpgrade(
  p: PreparedUpgrade,
  target: UpgradeTarget,
  session: GitLabSession,
  agent: AgentRef | undefined,
  cluster: KubeCluster,
  opts: UpgradeOptions,
  ports: Ports,
  io: FlowIO,
): Promise<UpgradeRow> {
  const scope: EventScope = { id: installKey(p.install), label: installName(p.install) };
  const scoped: FlowIO = { ...io, emit: (e) => io.emit({ ...e, scope }) };
  const steps = new StepRunner(scoped.emit, io.signal);
  const id = (s: string) => `${s}:${scope.id}`;
  const selector = p.deployment?.selector ?? p.install.deployment?.selector;
  const log = opts.helmLog ? await ports.files.openLog(opts.helmLog) : undefined;
  const startedAt = ports.clock.now();
  // Watching from before helm starts: the new pods' first Ready is seen the moment it is written.
  const watch = selector ? watchRollout(cluster, p, selector, opts.timeoutMs, ports, scoped) : undefined;
  try {
    try {
      await steps.run(
        id('helm-upgrade'),
        `helm upgrade ${installName(p.install)}`,
        async (ctl) => {
          await helm(
            ports,
            scoped,
            buildHelmUpgradeExistingArgs(p.at, p.release, target.chart),
            stringify(p.values, { lineWidth: 0 }),
            log,
            io.signal,
          );
          ctl.detail(`${p.from.chart ?? '?'} → ${p.to.chart ?? 'newest chart'}`);
        },
        'helm',
      );
      if (!watch) throw new FlowError('readiness', 'the chart renders no agent Deployment to watch');
      await steps.run(
        id('ready'),
        `Agent pods Ready (${installName(p.install)})`,
        async (ctl) => ctl.detail(await ready(cluster, p, watch)),
        'the readiness watch',
      );
      let connection: string | undefined;
      if (agent) {
        connection = await steps.run(
          id('connected'),
          `Connected to GitLab (${installName(p.install)})`,
          async (ctl) => {
            const how = await awaitConnected(
              session.client,
              {
                projectId: agent.projectId,
                projectPath: agent.projectPath,
                agentId: agent.agentId,
                agentName: agent.agentName,
                tokenId: agent.tokenId,
              },
              startedAt,
              opts.connectTimeoutMs,
              ports.connectPollMs ?? 5000,
              ports.clock,
              io.signal,
            );
            ctl.detail(how);
            return how;
          },
          'the wait for GitLab',
        );
      } else {
        scoped.emit({ type: 'warn', text: `${installName(p.install)}: its GitLab agent is unknown, so the connection was not checked` });
      }
      // helm numbers each upgrade one past the release's revision.
      return { prepared: p, result: 'upgraded', revision: (p.install.revision ?? 0) + 1, ...(connection ? { connection } : {}) };
    } catch (err) {
      if (err instanceof CancelledError || io.signal.aborted) throw err;
      const error = (err as Error).message;
      watch?.stop();
      return await offerRollback(p, error, selector, cluster, opts, ports, scoped, steps, log);
    }
  } finally {
    watch?.stop();
    await log?.close();
  }
}

async function offerRollback(
  p: PreparedUpgrade,
  error: string,
  selector: string | undefined,
  cluster: KubeCluster,
  opts: UpgradeOptions,
  ports: Ports,
  io: FlowIO,
  steps: StepRunner,
  log: { write(line: string): void } | undefined,
): Promise<UpgradeRow> {
  const ref = { ...p.at, release: p.release };
  const history = await ports.helm.history(ref).catch(() => []);
  const latest = Math.max(0, ...history.map((h) => h.revision));
  // helm failed before recording a revision: the release is as it was, nothing to roll back.
  if (latest <= (p.install.revision ?? p.revision)) return { prepared: p, result: 'not-started', error };
  const wanted =
    opts.rollbackOnFailure === true ||
    (await io.asker.ask({
      kind: 'confirm',
      id: 'rollback',
      flag: '--rollback-on-failure',
      message: `The upgrade of ${installName(p.install)} failed (${error}). Roll back to revision ${p.revision} (${p.from.chart ?? '?'}, agentk ${p.from.agentVersion ?? '?'})?`,
      help: `No leaves revision ${latest} as it is, to look into it (helm rollback ${p.release} ${p.revision} -n ${p.install.namespace} later).`,
      default: false,
    }));
  if (!wanted) return { prepared: p, result: 'failed', revision: latest, error };
  try {
    const id = (s: string) => `${s}:${installKey(p.install)}`;
    await steps.run(
      id('rollback'),
      `helm rollback ${installName(p.install)} to ${p.revision}`,
      async (ctl) => {
        await helm(ports, io, buildHelmRollbackArgs(p.at, p.release, p.revision), undefined, log, io.signal);
        ctl.detail(`revision ${latest + 1} = revision ${p.revision}`);
      },
      'helm',
    );
    if (selector) {
      const watch = watchRollout(cluster, p, selector, opts.timeoutMs, ports, io);
      await steps.run(
        id('rollback-ready'),
        `Agent pods Ready after the rollback (${installName(p.install)})`,
        async (ctl) => ctl.detail(await ready(cluster, p, watch)),
        'the readiness watch',
      );
    }
    return { prepared: p, result: 'rolled-back', revision: latest + 1, error };
  } catch (err) {
    if (err instanceof CancelledError || io.signal.aborted) throw err;
    return {
      prepared: p,
      result: 'rollback-failed',
      revision: latest,
      error: `${error}; the rollback failed too: ${(err as Error).message}`,
    };
  }
}
