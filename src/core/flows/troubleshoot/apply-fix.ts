import type { AgentInstall } from '../../discovery/agent-install.js';
import type { FixProposal } from '../../diagnosis/fixes.js';
import { FlowError } from '../../kernel/errors.js';
import type { FlowIO } from '../../kernel/io.js';
import type { Ledger } from '../../kernel/ledger.js';
import type { StepRunner } from '../../kernel/step-runner.js';
import type { Ports } from '../../ports/index.js';
import type { KubeCluster } from '../../ports/kube/index.js';
import { provideToken } from '../../steps/agent/provide-token.js';
import { planToken } from '../../steps/check/token-state.js';
import { restartDeployment } from '../../steps/lifecycle/restart-pods.js';
import { connectGitLab } from '../../steps/target/connect-gitlab.js';
import type { GitLabReadings } from './readings.js';

/** The fixes this version applies; the others are reported with their by-hand command. */
const APPLIED: ReadonlySet<FixProposal['kind']> = new Set(['recreate-token-secret', 'restart-pods']);

export function canApply(p: FixProposal): boolean {
  return APPLIED.has(p.kind);
}

export function describeFix(p: FixProposal): string {
  switch (p.kind) {
    case 'recreate-token-secret':
      return `create a new agent token${p.agentName ? ` for ${p.agentName}` : ''}, write it into Secret ${p.namespace}/${p.secretName}${p.restartDeployment ? `, then restart deployment/${p.restartDeployment}` : ''}`;
    case 'restart-pods':
      return `restart deployment/${p.deployment} in ${p.namespace} (a rolling restart, as kubectl rollout restart)`;
    default:
      return p.kind;
  }
}

interface FixContext {
  install: AgentInstall;
  context: string;
  cluster: KubeCluster;
  gitlab?: GitLabReadings;
  gitlabUrl?: string;
  gitlabCa?: string;
  revokeToken?: string;
}

/**
 * Applies one fix through the install's own steps: planToken/provideToken (the two-token limit is asked
 * about, never silent; a token that cannot be stored is revoked again) and restartDeployment (rotate-token's
 * rolling restart). Everything created goes into the ledger.
 */
export async function applyFix(
  p: FixProposal,
  c: FixContext,
  ledger: Ledger,
  steps: StepRunner,
  ports: Ports,
  io: FlowIO,
): Promise<string> {
  const restart = (namespace: string, deployment: string) =>
    steps.run(
      'fix-restart',
      `Restart deployment/${deployment}`,
      async (ctl) => {
        const generation = await restartDeployment(c.cluster, namespace, deployment, new Date(ports.clock.now()));
        ctl.detail(`rolling restart requested${generation !== undefined ? ` (generation ${generation})` : ''}`);
      },
      'a Kubernetes request',
    );
  if (p.kind === 'restart-pods') {
    await restart(p.namespace, p.deployment);
    return `restarted deployment/${p.deployment}`;
  }
  if (p.kind !== 'recreate-token-secret') throw new FlowError('fix', `this version does not apply ${p.kind} fixes`);
  const project = c.gitlab?.agent?.project;
  const agent = c.gitlab?.agent?.agents?.find((a) => a.name === c.gitlab?.agent?.name);
  if (!project || !agent) {
    throw new FlowError(
      'fix',
      'the GitLab agent of this install was not found, so no token can be created for it',
      'pass --project <group/project> (and a GitLab token), or create the token by hand',
    );
  }
  const tokenId = await steps.run(
    'fix-token',
    `New agent token into Secret ${p.secretName}`,
    async (ctl) => {
      // Creating a token needs the api scope: a read_api session is not enough here.
      const session = await connectGitLab(c.gitlabUrl ?? c.gitlab?.url, c.gitlabCa, ports, io);
      const target = {
        context: c.context,
        gitlabUrl: session.client.url,
        projectId: project.id,
        projectPath: project.pathWithNamespace,
        agentName: agent.name,
        agentId: agent.id,
        namespace: p.namespace,
        createNamespace: false,
      };
      const settings = { tokenSecret: { name: p.secretName, own: false } };
      const plan = await planToken(
        c.cluster,
        session.client,
        target,
        settings,
        true,
        c.revokeToken,
        `gitlab-agent-tui-${c.install.release ?? agent.name}`,
        io,
        session.metadata.version,
      );
      const r = await provideToken(session.client, c.cluster, target, settings, agent.id, plan, ledger);
      ctl.detail(r.detail);
      return r.tokenId;
    },
    'a GitLab request',
  );
  if (p.restartDeployment) await restart(p.namespace, p.restartDeployment);
  return `token ${tokenId ?? '?'} written into Secret ${p.namespace}/${p.secretName}${p.restartDeployment ? `, deployment/${p.restartDeployment} restarted` : ''}`;
}
