import { FlowError } from '../../kernel/errors.js';
import type { FlowIO } from '../../kernel/io.js';
import type { Ledger } from '../../kernel/ledger.js';
import type { StepRunner } from '../../kernel/step-runner.js';
import { GitLabApiError } from '../../ports/gitlab.js';
import type { Ports } from '../../ports/index.js';
import type { KubeCluster } from '../../ports/kube/index.js';
import { commitAgentConfig } from '../../steps/agent/commit-config.js';
import { ensureNamespace } from '../../steps/agent/ensure-namespace.js';
import { provideToken } from '../../steps/agent/provide-token.js';
import { registerAgent } from '../../steps/agent/register.js';
import { watchUntilReady, type ReadinessWatch } from '../../steps/verify/await-ready.js';
import type { Checked } from './check.js';
import type { Gathered } from './gather.js';
import type { InstallOptions } from './options.js';
import { podSecurityLabels } from '../../plan/secure-defaults.js';

const GITLAB = 'a GitLab request';

export interface Applied {
  cluster: KubeCluster;
  agentId: number;
  tokenId?: number;
  /** Watching since before the delivery ran, so the first Ready is seen the moment it is written. */
  readiness: ReadinessWatch;
  /** When the first write happened: a connection GitLab reports must be newer. */
  startedAt: number;
  /** The delivery's state after apply (what its own verify reads). */
  deliveryState: unknown;
}

/** The apply phase, after the review was accepted: register, config file, namespace, token, then the delivery. */
export async function applyInstall(
  g: Gathered,
  c: Checked,
  opts: InstallOptions,
  ports: Ports,
  io: FlowIO,
  steps: StepRunner,
  ledger: Ledger,
): Promise<Applied> {
  const { cluster, token: tokenPlan, delivery: check } = c;
  if (!cluster || !tokenPlan || !check) throw new FlowError('context', 'the cluster is not reachable');
  const { target, settings, session } = g;
  const startedAt = ports.clock.now();

  const agentId = await steps.run(
    'register',
    'Register agent',
    async (ctl) => {
      const id = await registerAgent(session.client, target, ledger).catch((err: unknown) => {
        throw err instanceof GitLabApiError && err.status === 403 ? notMaintainer(session.user.username, target.projectPath, err) : err;
      });
      ctl.detail(target.agentId !== undefined ? `reusing ${target.agentName} (id ${id})` : `registered ${target.agentName} (id ${id})`);
      return id;
    },
    GITLAB,
  );
  if (settings.createConfig !== 'none') {
    await steps.run(
      'config',
      'Agent configuration file',
      async (ctl) => {
        ctl.detail(await commitAgentConfig(session.client, target, settings.createConfig, g.defaultBranch ?? 'main', ledger));
      },
      GITLAB,
    );
  }
  await steps.run(
    'namespace',
    'Namespace',
    async (ctl) => ctl.detail(await ensureNamespace(cluster, target, c.namespaceExists, ledger, podSecurityLabels(settings))),
    'a Kubernetes request',
  );
  const token = await steps.run(
    'token',
    'Agent token',
    async (ctl) => {
      const t = await provideToken(session.client, cluster, target, settings, agentId, tokenPlan, ledger);
      ctl.detail(t.detail);
      return t;
    },
    GITLAB,
  );

  const readiness = watchUntilReady(cluster, g.delivery.workload(target, g.plan), opts.timeoutMs, ports.clock, io);
  try {
    await steps.run(
      'helm-install',
      g.delivery.applyTitle ?? 'helm upgrade --install',
      async (ctl) => {
        // The token the pods must run with goes into their template: a new one rolls them.
        const rolled = token.tokenId !== undefined ? { ...settings, rollout: { tokenId: token.tokenId } } : settings;
        await g.delivery.apply({
          opts,
          ports,
          io,
          cluster,
          target,
          settings: rolled,
          plan: g.plan,
          state: check.state,
          ledger,
          gitlab: session.client,
          agentId,
        });
        readiness.arm();
        ctl.detail(`${g.delivery.nameOf(g.plan)} in ${target.namespace}`);
      },
      { activity: g.delivery.activity, waitsForOwnStop: true },
    );
  } catch (err) {
    readiness.stop();
    throw err;
  }
  return { cluster, agentId, tokenId: token.tokenId, readiness, startedAt, deliveryState: check.state };
}

/** GitLab refused the first write: the user is not a Maintainer, not even through a shared group. Nothing was created. */
function notMaintainer(username: string, projectPath: string, err: GitLabApiError): FlowError {
  return new FlowError(
    'register',
    `GitLab refused to register the agent in ${projectPath} (${err.status}: ${err.message})`,
    `${username} needs the Maintainer role in ${projectPath}; ask for it or pick another project`,
  );
}
