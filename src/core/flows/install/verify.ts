import type { FlowIO } from '../../kernel/io.js';
import type { StepRunner } from '../../kernel/step-runner.js';
import type { Ports } from '../../ports/index.js';
import { awaitConnected } from '../../steps/verify/await-connected.js';
import { crashLogs, ReadinessError } from '../../steps/verify/await-ready.js';
import type { Applied } from './apply.js';
import type { Gathered } from './gather.js';
import type { InstallOptions } from './options.js';

/** The verify phase: the pods Ready (with the reason when not), then GitLab seeing the agent connected. */
export async function verifyInstall(
  g: Gathered,
  a: Applied,
  opts: InstallOptions,
  ports: Ports,
  io: FlowIO,
  steps: StepRunner,
): Promise<string> {
  const { target } = g;
  const own = g.delivery.verify;
  try {
    if (own) {
      await steps.run(
        own.step,
        own.title,
        async (ctl) => {
          ctl.detail(
            await own.run({ ports, io, cluster: a.cluster, target, plan: g.plan, state: a.deliveryState, timeoutMs: opts.timeoutMs }),
          );
        },
        own.activity,
      );
    }
    await steps.run(
      'ready',
      'Agent pods Ready',
      async (ctl) => {
        try {
          ctl.detail((await a.readiness.done).progress);
        } catch (err) {
          if (err instanceof ReadinessError) throw err.withLogs(await crashLogs(a.cluster, target.namespace, err.findings));
          throw err;
        }
      },
      'the readiness watch',
    );
  } finally {
    a.readiness.stop();
  }
  const readyPods = a.readiness.readyPods();
  const waitMs = Math.max(opts.connectTimeoutMs, g.delivery.minConnectWaitMs ?? 0);
  if (waitMs > opts.connectTimeoutMs) {
    io.emit({
      type: 'info',
      text: `GitLab may take up to ${Math.round((g.delivery.minConnectWaitMs ?? 0) / 60_000)} minutes to start connecting to a receptive agent: waiting up to ${Math.round(waitMs / 60_000)} minutes`,
    });
  }
  return steps.run(
    'connected',
    'Connected to GitLab',
    async (ctl) => {
      const how = await awaitConnected(
        g.session.client,
        {
          projectId: target.projectId,
          projectPath: target.projectPath,
          agentId: a.agentId,
          agentName: target.agentName,
          tokenId: a.tokenId,
          pods: readyPods,
          hint: notConnectedHint(g),
        },
        a.startedAt,
        waitMs,
        ports.connectPollMs ?? 5000,
        ports.clock,
        io.signal,
      );
      ctl.detail(how);
      return how;
    },
    'the wait for GitLab',
  );
}

/** Why GitLab may see no connection: the address first when it is not the one GitLab advertises, else the logs. */
function notConnectedHint(g: Gathered): string {
  const { target, settings } = g;
  const advertised = g.session.metadata.kas.externalUrl;
  const workload = g.delivery.workload(target, g.plan);
  const logs = `kubectl --context ${target.context} -n ${workload.namespace} logs -l ${workload.selector} --tail=50`;
  if (settings.kasAddress && advertised && settings.kasAddress.replace(/\/+$/, '') !== advertised.replace(/\/+$/, '')) {
    return `the agent dials ${settings.kasAddress}, but GitLab's agent server is ${advertised}: re-run with --kas-address ${advertised} (or without it), or check the agent logs: ${logs}`;
  }
  return `the cluster may not reach ${settings.kasAddress || 'the KAS address'} (firewall, proxy, CA): check the agent logs: ${logs}`;
}
