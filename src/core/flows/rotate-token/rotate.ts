import type { AgentInstall } from '../../discovery/agent-install.js';
import { CancelledError, ExitCode, FlowError, UsageError } from '../../kernel/errors.js';
import type { FlowIO } from '../../kernel/io.js';
import { Ledger } from '../../kernel/ledger.js';
import type { FlowOutcome } from '../../kernel/outcome.js';
import type { Secret } from '../../kernel/secret.js';
import { optionError } from '../../options/catalogue.js';
import { agentsPageUrl } from '../../plan/agent-target.js';
import { installName } from '../../plan/lifecycle/install-health.js';
import type { GitLabAgentToken } from '../../ports/gitlab.js';
import type { Ports } from '../../ports/index.js';
import type { KubeCluster } from '../../ports/kube/index.js';
import type { AgentRef } from '../../steps/lifecycle/agent-ref.js';
import { awaitTokenUsed } from '../../steps/lifecycle/await-token-used.js';
import { restartDeployment, restartGap } from '../../steps/lifecycle/restart-pods.js';
import type { GitLabSession } from '../../steps/target/connect-gitlab.js';
import { watchUntilReady } from '../../steps/verify/await-ready.js';
import { aboutOption } from '../../steps/ask.js';
import { advance, isTerminal, leftAfterCancel, startRotation, type Phase, type RotationState, type StepResult } from './machine.js';
import type { RotationSettings } from './options.js';

/** What `rotate-token --output json` prints (README documents it). */
export interface RotateResult {
  schemaVersion: 1;
  context: string;
  namespace: string;
  release?: string;
  secret: string;
  /** rotated: the new token serves and the old one is revoked; restored: the old token serves again. */
  result: 'rotated' | 'restored' | 'aborted' | 'restore-failed';
  oldTokenId: number;
  newTokenId?: number;
  revokedFirstId?: number;
  failure?: { step: string; message: string };
  problems: string[];
}

const TITLES: Record<Phase, string> = {
  'revoke-first': 'Revoke the token you chose',
  create: 'Create the new token',
  'write-new': 'Write it to the Secret',
  restart: 'Restart the agent pods',
  'await-ready': 'New pods Ready',
  'await-connected': 'GitLab sees the new token in use',
  'revoke-old': 'Revoke the old token',
  'restore-write-old': 'Put the old token back',
  'restore-restart': 'Restart the pods on the old token',
  'restore-await-ready': 'Pods Ready on the old token',
  'restore-revoke-new': 'Revoke the new token',
};

const ACTIVITY: Partial<Record<Phase, string>> = {
  'await-ready': 'the readiness watch',
  'restore-await-ready': 'the readiness watch',
  'await-connected': 'the wait for GitLab',
};

/** Which token to revoke before a new one fits under GitLab's two-token limit: asked, naming the one in use. */
async function chooseRevokeFirst(
  active: GitLabAgentToken[],
  oldTokenId: number,
  given: string | undefined,
  agentName: string,
  io: FlowIO,
): Promise<number | undefined> {
  if (active.length < 2) return undefined;
  if (given !== undefined) {
    const id = Number(given);
    if (!active.some((t) => t.id === id))
      throw optionError(
        'revokeToken',
        `token ${id} is not an active token of agent ${agentName}`,
        `choose one of ${active.map((t) => t.id).join(', ')}`,
      );
    return id;
  }
  const picked = await io.asker.ask({
    kind: 'select',
    ...aboutOption('revokeToken'),
    message: `Agent ${agentName} already has 2 active tokens (GitLab's limit). Which one should be revoked to make room?`,
    help: 'Revoking the one in use disconnects this agent until its pods restart with the new token, and leaves nothing to go back to.',
    choices: [
      ...active.map((t) =>
        t.id === oldTokenId
          ? {
              value: String(t.id),
              label: `token ${t.id} "${t.name}"`,
              hint: 'IN USE by this install: it disconnects until the new token is in place',
            }
          : { value: String(t.id), label: `token ${t.id} "${t.name}"`, hint: 'not used by this install (another cluster may use it)' },
      ),
      { value: 'cancel', label: 'cancel', hint: 'revoke nothing and stop' },
    ],
  });
  if (picked === 'cancel')
    throw new UsageError(
      '--revoke-token',
      `agent ${agentName} has 2 active tokens and none was chosen to revoke`,
      'revoke one in GitLab or pass --revoke-token ID',
    );
  return Number(picked);
}

/**
 * Rotates the agent token of one install without downtime: a new token into the Secret, a rolling
 * restart (the chart's maxUnavailable 0 keeps Ready pods throughout), the new pods Ready and GitLab
 * recording the new token's use, then the old token revoked. A failure before that puts the old token
 * back (see machine.ts). The old token's value is read once and kept only in memory for that.
 */
export async function rotateInstall(
  install: AgentInstall,
  agent: AgentRef,
  session: GitLabSession,
  cluster: KubeCluster,
  opts: RotationSettings,
  ports: Ports,
  io: FlowIO,
): Promise<FlowOutcome<RotateResult>> {
  const ledger = new Ledger(io.emit);
  const { client } = session;
  const secret = install.token?.secret;
  const oldTokenId = agent.tokenId;
  const deployment = install.deployment;
  if (!secret || oldTokenId === undefined)
    throw new FlowError(
      'rotate',
      `${installName(install)} has no token Secret of this tool with a token id`,
      'only installs made by gitlab-agent-tui can be rotated',
    );
  if (!deployment?.selector) throw new FlowError('rotate', `${installName(install)} has no agent Deployment to restart`);
  const base = {
    schemaVersion: 1 as const,
    context: install.context,
    namespace: install.namespace,
    ...(install.release ? { release: install.release } : {}),
    secret: `${install.namespace}/${secret}`,
    oldTokenId,
  };

  const oldValue: Secret | undefined = await cluster.readTokenValue(install.namespace, secret);
  if (!oldValue) throw new FlowError('rotate', `Secret ${install.namespace}/${secret} holds no token`);
  const old = await client.getToken(agent.projectId, agent.agentId, oldTokenId);
  if (!old)
    throw new FlowError(
      'rotate',
      `token ${oldTokenId} in Secret ${secret} is not active in GitLab: there is nothing to rotate from`,
      'run install again with the same answers: it puts a new token in place',
    );
  const active = (await client.listTokens(agent.projectId, agent.agentId)).filter((t) => t.status === 'active');
  const revokeFirstId = await chooseRevokeFirst(active, oldTokenId, opts.revokeToken, agent.agentName, io);
  const gap = await restartGap(cluster, install.namespace, deployment.name).catch(() => undefined);
  if (gap) io.emit({ type: 'warn', text: `${gap}: the agent will be briefly disconnected during the restart.` });

  let newValue: Secret | undefined;
  const writeSecret = (token: Secret, tokenId: number) =>
    cluster.writeTokenSecret({
      namespace: install.namespace,
      name: secret,
      token,
      tokenId,
      agentName: agent.agentName,
      agentId: agent.agentId,
      registration: { gitlabUrl: client.url, projectId: agent.projectId, projectPath: agent.projectPath },
    });
  const restart = () => restartDeployment(cluster, install.namespace, deployment.name, new Date(ports.clock.now()));
  const awaitReady = async () => {
    // Watched from after the restart was accepted: every snapshot is of the new spec, so Ready means the new pods.
    const watch = watchUntilReady(
      cluster,
      { namespace: install.namespace, selector: deployment.selector! },
      opts.timeoutMs,
      ports.clock,
      io,
    );
    watch.arm();
    try {
      return (await watch.done).progress;
    } finally {
      watch.stop();
    }
  };
  const page = agentsPageUrl({ gitlabUrl: client.url, projectPath: agent.projectPath });

  const work: Record<Phase, (s: RotationState) => Promise<string | { detail: string; newTokenId: number }>> = {
    'revoke-first': async (s) => {
      await client.revokeToken(agent.projectId, agent.agentId, s.ctx.revokeFirstId!);
      ledger.record({
        kind: 'revoked-token',
        id: String(s.ctx.revokeFirstId),
        description: `revoked token ${s.ctx.revokeFirstId} (your choice)`,
        created: true,
      });
      return `revoked token ${s.ctx.revokeFirstId}`;
    },
    create: async () => {
      const stamp = new Date(ports.clock.now()).toISOString().slice(0, 10);
      const made = await client.createToken(
        agent.projectId,
        agent.agentId,
        `gitlab-agent-tui-${install.release ?? agent.agentName}-${stamp}`,
        `Rotated by gitlab-agent-tui for ${install.context}/${install.namespace}`,
      );
      newValue = made.value;
      ledger.record({
        kind: 'token',
        id: String(made.token.id),
        description: `agent token ${made.token.id}`,
        created: true,
        undo: `revoke agent token ${made.token.id}: ${page}`,
      });
      return { detail: `token ${made.token.id}`, newTokenId: made.token.id };
    },
    'write-new': async (s) => {
      await writeSecret(newValue!, s.ctx.newTokenId!);
      return `Secret ${secret} holds token ${s.ctx.newTokenId}`;
    },
    restart: async () => {
      await restart();
      return `rolling restart of ${deployment.name}`;
    },
    'await-ready': awaitReady,
    'await-connected': (s) =>
      awaitTokenUsed(client, agent, s.ctx.newTokenId!, opts.connectTimeoutMs, ports.connectPollMs ?? 5000, ports.clock, io.signal),
    'revoke-old': async () => {
      await client.revokeToken(agent.projectId, agent.agentId, oldTokenId);
      ledger.record({ kind: 'revoked-token', id: String(oldTokenId), description: `revoked old token ${oldTokenId}`, created: true });
      return `token ${oldTokenId} revoked`;
    },
    'restore-write-old': async () => {
      await writeSecret(oldValue, oldTokenId);
      return `Secret ${secret} holds token ${oldTokenId} again`;
    },
    'restore-restart': async () => {
      await restart();
      return `rolling restart of ${deployment.name}`;
    },
    'restore-await-ready': awaitReady,
    'restore-revoke-new': async (s) => {
      await client.revokeToken(agent.projectId, agent.agentId, s.ctx.newTokenId!);
      ledger.record({
        kind: 'revoked-token',
        id: String(s.ctx.newTokenId),
        description: `revoked new token ${s.ctx.newTokenId}`,
        created: true,
      });
      return `token ${s.ctx.newTokenId} revoked`;
    },
  };

  let state = startRotation(oldTokenId, revokeFirstId);
  try {
    while (!isTerminal(state)) {
      if (io.signal.aborted) throw new CancelledError();
      const phase = state.phase;
      const step = `rotate:${phase}`;
      io.emit({ type: 'step', step, title: TITLES[phase], status: 'running', ...(ACTIVITY[phase] ? { activity: ACTIVITY[phase] } : {}) });
      let result: StepResult;
      try {
        const done = await work[phase](state);
        const detail = typeof done === 'string' ? done : done.detail;
        io.emit({ type: 'step', step, title: TITLES[phase], status: 'done', detail });
        result = typeof done === 'string' ? { ok: true } : { ok: true, newTokenId: done.newTokenId };
      } catch (err) {
        if (err instanceof CancelledError || io.signal.aborted) throw err;
        io.emit({ type: 'step', step, title: TITLES[phase], status: 'failed', detail: (err as Error).message });
        result = { ok: false, message: (err as Error).message };
      }
      state = advance(state, result);
    }
  } catch (err) {
    if (!(err instanceof CancelledError || io.signal.aborted)) throw err;
    return cancelled(state, base, ledger, io, async () => {
      // Quick, and only while the pods still run on the old token: the Secret back, the unused new token revoked.
      if (state.ctx.restarted) return [];
      const done: string[] = [];
      if (state.ctx.secretTouched)
        await writeSecret(oldValue, oldTokenId).then(
          () => done.push(`Secret ${secret} holds token ${oldTokenId} again`),
          () => undefined,
        );
      if (state.ctx.newTokenId !== undefined) {
        await client.revokeToken(agent.projectId, agent.agentId, state.ctx.newTokenId).then(
          () => done.push(`new token ${state.ctx.newTokenId} revoked`),
          () => undefined,
        );
      }
      return done;
    });
  }
  return finished(state, base, ledger);
}

type Base = Omit<RotateResult, 'result' | 'problems'>;

function finished(state: RotationState, base: Base, ledger: Ledger): FlowOutcome<RotateResult> {
  const { ctx } = state;
  const data: RotateResult = {
    ...base,
    result: state.phase === 'done' ? 'rotated' : (state.phase as RotateResult['result']),
    ...(ctx.newTokenId !== undefined ? { newTokenId: ctx.newTokenId } : {}),
    ...(ctx.revokeFirstId !== undefined ? { revokedFirstId: ctx.revokeFirstId } : {}),
    ...(ctx.failure ? { failure: { step: TITLES[ctx.failure.phase], message: ctx.failure.message } } : {}),
    problems: ctx.problems,
  };
  const failed = ctx.failure ? `${TITLES[ctx.failure.phase]} failed: ${ctx.failure.message}` : '';
  const problems = ctx.problems.map((p) => `! ${p}`);
  switch (state.phase) {
    case 'done':
      return {
        exitCode: ExitCode.ok,
        headline: `Token rotated: ${base.oldTokenId} → ${ctx.newTokenId}; the agent is Ready and connected with the new token.`,
        details: [`Secret ${base.secret} holds token ${ctx.newTokenId}`, ...problems],
        ledger: ledger.entries,
        data,
      };
    case 'restored':
      return {
        exitCode: ExitCode.failure,
        headline: `Rotation did not complete (${failed}). The old token ${base.oldTokenId} is back in the Secret and serving${ctx.restarted ? ' (pods restarted onto it)' : ''}.`,
        details: [
          ...(ctx.newTokenId !== undefined && ctx.problems.length === 0 ? [`New token ${ctx.newTokenId} was revoked again.`] : []),
          ...problems,
        ],
        ledger: ledger.entries,
        data,
      };
    case 'aborted':
      return {
        exitCode: ExitCode.failure,
        headline: `Rotation stopped before anything changed in the cluster (${failed}). Token ${base.oldTokenId} still serves.`,
        details: [
          ...(ctx.revokeFirstId !== undefined && ctx.failure?.phase !== 'revoke-first'
            ? [`Token ${ctx.revokeFirstId} was revoked (your choice).`]
            : []),
        ],
        ledger: ledger.entries,
        data,
      };
    default:
      return {
        exitCode: ExitCode.failure,
        headline: `Rotation failed (${failed}) and the old token could not be restored.`,
        details: [
          ...problems,
          `New token ${ctx.newTokenId ?? '-'} may be in Secret ${base.secret}; check the pods with kubectl get pods -n ${base.namespace}.`,
        ],
        ledger: ledger.entries,
        data,
      };
  }
}

async function cancelled(
  state: RotationState,
  base: Base,
  ledger: Ledger,
  io: FlowIO,
  quickRestore: () => Promise<string[]>,
): Promise<FlowOutcome<RotateResult>> {
  const restored = await quickRestore();
  io.emit({ type: 'info', text: 'rotation cancelled' });
  const left =
    restored.length > 0
      ? [...restored, ...(state.ctx.revokeFirstId !== undefined ? [`token ${state.ctx.revokeFirstId} stays revoked (your choice)`] : [])]
      : leftAfterCancel(state);
  return {
    exitCode: ExitCode.cancelled,
    headline: 'Cancelled.',
    details: [
      ...left.map((l) => `  ${l}`),
      ...(state.ctx.restarted ? ['Run rotate-token again to finish: it starts from the token now in the Secret.'] : []),
    ],
    ledger: ledger.entries,
    data: {
      ...base,
      result: 'aborted',
      ...(state.ctx.newTokenId !== undefined ? { newTokenId: state.ctx.newTokenId } : {}),
      problems: ['cancelled'],
    },
  };
}
