import { describe, expect, it } from 'vitest';
import { runRotateToken } from '../../../src/core/flows/rotate-token/flow.js';
import { ROTATE_OPTION_IDS } from '../../../src/core/flows/rotate-token/options.js';
import { runStatus } from '../../../src/core/flows/status/flow.js';
import { STATUS_OPTION_IDS } from '../../../src/core/flows/status/options.js';
import { runUninstall } from '../../../src/core/flows/uninstall/flow.js';
import { UNINSTALL_OPTION_IDS } from '../../../src/core/flows/uninstall/options.js';
import { runUpgrade } from '../../../src/core/flows/upgrade/flow.js';
import { UPGRADE_OPTION_IDS } from '../../../src/core/flows/upgrade/options.js';
import type { FlowEvent } from '../../../src/core/kernel/events.js';
import type { FlowIO } from '../../../src/core/kernel/io.js';
import type { AnswerOf, Asker, Question } from '../../../src/core/kernel/questions.js';
import { optionValues, type RawOptions } from '../../../src/core/options/catalogue.js';
import { createDemoPorts, createDemoWorld, type DemoWorld } from '../../../src/demo/index.js';
import { DEMO_AGENT_TOKEN } from '../../../src/demo/seed.js';
import { FlagAsker } from '../../../src/ui/flags/flag-asker.js';

/** The demo world (staging runs agent "staging", release 3, token 32; demo-offline is unreachable), played fast. */
const world = () => createDemoWorld({ timeScale: 40 });

/** Answers by question id; a question without an answer takes its default, and one without a default fails. */
class Script implements Asker {
  readonly asked: Question[] = [];
  constructor(private readonly answers: Record<string, unknown> = {}) {}
  async ask<Q extends Question>(q: Q): Promise<AnswerOf<Q>> {
    this.asked.push(q);
    const a = q.id in this.answers ? this.answers[q.id] : q.kind === 'secret' ? undefined : q.default;
    if (a === undefined) throw new Error(`unexpected question ${q.id}: ${q.message}`);
    if (q.kind === 'input' && q.validate?.(String(a))) throw new Error(`refused: ${q.validate(String(a))}`);
    return a as AnswerOf<Q>;
  }
}

function io(asker: Asker): FlowIO & { events: FlowEvent[] } {
  const events: FlowEvent[] = [];
  return { asker, emit: (e) => events.push(e), signal: new AbortController().signal, events };
}

const yes = () => new FlagAsker('--yes was given', true);
const done = (events: FlowEvent[]) =>
  events.flatMap((e) => (e.type === 'step' && e.status === 'done' ? [`${e.title}: ${e.detail ?? ''}`] : []));
const ports = (w: DemoWorld) => ({ ...createDemoPorts({ world: w }), connectPollMs: 20, probeTimeoutMs: 2000 });

describe('status over the demo world', () => {
  it('every context at once: the staging agent healthy with GitLab columns, the offline context unreachable: exit 1', async () => {
    const w = world();
    const run = io(yes());
    const outcome = await runStatus(optionValues(STATUS_OPTION_IDS, { allContexts: true }), ports(w), run);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.headline).toBe('1 agent in 3 contexts: 1 context unreachable.');
    const table = outcome.sections?.[0];
    expect(table).toMatchObject({ kind: 'table', columns: ['CONTEXT', 'AGENT', 'READY', 'VERSION', 'TOKEN', 'GITLAB'] });
    const rows = table?.kind === 'table' ? table.rows : [];
    expect(rows).toContainEqual([
      'demo-staging',
      'gitlab-agent-staging/staging',
      '2/2',
      'v18.6.0 ok',
      '32 · 30d old · used <1m ago',
      'token used <1m ago',
    ]);
    expect(rows).toContainEqual(['demo-offline', '-', '-', '-', '-', expect.stringMatching(/^unreachable: connect ECONNREFUSED/)]);
    const data = outcome.data!;
    expect(data.healthy).toBe(false);
    expect(data.gitlab).toEqual({ url: 'https://gitlab.example.com', version: '18.6.1-ee' });
    const staging = data.contexts.find((c) => c.name === 'demo-staging')!;
    expect(staging.installs[0]).toMatchObject({
      release: 'staging',
      healthy: true,
      version: { verdict: 'ok' },
      agent: { id: 17, project: 'demo-group/infrastructure' },
      token: { id: 32, ageDays: 30 },
    });
    // The live part: a line per install as soon as its context answered, before the table.
    expect(run.events).toContainEqual(
      expect.objectContaining({
        type: 'info',
        text: expect.stringContaining('✓ demo-staging · gitlab-agent-staging/staging: 2/2 Ready · agentk v18.6.0 ok · token 32 · 30d old'),
      }),
    );
    expect(JSON.stringify(outcome)).not.toContain(DEMO_AGENT_TOKEN);
  });

  it('one healthy context: exit 0; an unknown --context is a usage error naming the flag', async () => {
    const ok = await runStatus(optionValues(STATUS_OPTION_IDS, { contexts: ['demo-staging'] }), ports(world()), io(yes()));
    expect(ok.exitCode).toBe(0);
    expect(ok.headline).toBe('1 agent in 1 context: all healthy.');
    const bad = await runStatus(optionValues(STATUS_OPTION_IDS, { contexts: ['nope'] }), ports(world()), io(yes()));
    expect(bad.exitCode).toBe(2);
    expect(bad.headline).toMatch(/^--context: unknown context "nope"/);
  });

  it('a context without installs says so in the headline, with no empty table to browse', async () => {
    const none = await runStatus(optionValues(STATUS_OPTION_IDS, { contexts: ['demo-prod'] }), ports(world()), io(yes()));
    expect(none.exitCode).toBe(0);
    expect(none.headline).toBe('No agent installs found in 1 context.');
    expect(none.sections).toEqual([]);
  });
});

describe('rotate-token over the demo world', () => {
  const opts = (raw: RawOptions = {}) =>
    optionValues(ROTATE_OPTION_IDS, { context: 'demo-staging', timeoutMs: '60s', connectTimeoutMs: '30s', ...raw });

  it('two active tokens and no --revoke-token: exit 2 naming it, nothing changed', async () => {
    const w = world();
    const outcome = await runRotateToken(opts(), ports(w), io(yes()));
    expect(outcome.exitCode).toBe(2);
    expect(outcome.headline).toMatch(/^--revoke-token: .*no answer/);
    expect(w.gitlab.tokens.filter((t) => t.status === 'active').map((t) => t.id)).toEqual([31, 32]);
  });

  it('revokes the chosen spare, puts a new token in, restarts, waits, then revokes the old one; JSON has both ids', async () => {
    const w = world();
    const run = io(yes());
    const outcome = await runRotateToken(opts({ revokeToken: '31' }), ports(w), run);
    expect(outcome.exitCode, outcome.headline).toBe(0);
    expect(outcome.headline).toBe('Token rotated: 32 → 33; the agent is Ready and connected with the new token.');
    expect(outcome.data).toMatchObject({
      result: 'rotated',
      oldTokenId: 32,
      newTokenId: 33,
      revokedFirstId: 31,
      secret: 'gitlab-agent-staging/staging-agent-token',
    });
    expect(done(run.events).map((d) => d.split(':')[0])).toEqual(
      expect.arrayContaining([
        'Revoke the token you chose',
        'Create the new token',
        'Write it to the Secret',
        'Restart the agent pods',
        'New pods Ready',
        'GitLab sees the new token in use',
        'Revoke the old token',
      ]),
    );
    expect(w.gitlab.tokens.map((t) => [t.id, t.status])).toEqual([
      [31, 'revoked'],
      [32, 'revoked'],
      [33, 'active'],
    ]);
    const secret = w.clusters.get('demo-staging')!.namespaces.get('gitlab-agent-staging')!.secrets.get('staging-agent-token')!;
    expect(secret.tokenId).toBe(33);
    expect(JSON.stringify({ outcome, events: run.events })).not.toContain(DEMO_AGENT_TOKEN);
  });

  it('the interactive question names the token in use', async () => {
    const asker = new Script({ install: 'demo-staging/gitlab-agent-staging/staging', 'revoke-token': 'cancel' });
    const outcome = await runRotateToken(optionValues(ROTATE_OPTION_IDS, { context: 'demo-staging' }), ports(world()), io(asker));
    const q = asker.asked.find((x) => x.id === 'revoke-token');
    expect(q?.kind === 'select' && q.choices.find((c) => c.value === '32')?.hint).toContain('IN USE by this install');
    expect(outcome.exitCode).toBe(2);
  });
});

describe('upgrade over the demo world', () => {
  const opts = (raw: RawOptions = {}) =>
    optionValues(UPGRADE_OPTION_IDS, { context: 'demo-staging', release: 'staging', timeoutMs: '60s', connectTimeoutMs: '30s', ...raw });

  it('--dry-run shows the values and manifest diff and changes nothing', async () => {
    const w = world();
    const run = io(yes());
    const outcome = await runUpgrade(
      opts({ dryRun: true, imageTag: 'v18.6.1', httpsProxy: 'http://proxy.internal:3128', noProxy: '.svc' }),
      ports(w),
      run,
    );
    expect(outcome.exitCode, outcome.headline).toBe(0);
    const review = run.events.find((e) => e.type === 'review');
    expect(review?.type === 'review' && review.diffs?.[0]?.lines).toEqual(
      expect.arrayContaining([
        '+ extraEnv[name=HTTPS_PROXY].value: "http://proxy.internal:3128"',
        '- image.tag: "v18.6.0"',
        '+ image.tag: "v18.6.1"',
      ]),
    );
    expect(review?.type === 'review' && review.diffs?.[1]?.lines).toContain('~ Deployment gitlab-agent-staging/staging-gitlab-agent-v2');
    expect(review?.type === 'review' && review.command).toMatch(
      /^helm upgrade staging gitlab-agent \\\n {2}--namespace gitlab-agent-staging \\\n[\s\S]* -f - <<'VALUES'\n/,
    );
    expect(review?.type === 'review' && review.command).not.toContain('--reuse-values');
    expect(w.clusters.get('demo-staging')!.releases[0]!.revisions).toHaveLength(1);
  });

  it('a pull secret for the default (public) image is warned about; with a mirror it is not', async () => {
    const warned = async (raw: RawOptions) => {
      const run = io(yes());
      const outcome = await runUpgrade(opts({ dryRun: true, imagePullSecret: ['regcred'], ...raw }), ports(world()), run);
      expect(outcome.exitCode, outcome.headline).toBe(0);
      return run.events.some((e) => e.type === 'warn' && e.text.includes('--image-pull-secret without --image-repository'));
    };
    expect(await warned({})).toBe(true);
    expect(await warned({ imageRepository: 'registry.example.com/mirror/agentk' })).toBe(false);
  });

  it('upgrades with the new image, Ready and connected; the release keeps its values', async () => {
    const w = world();
    const outcome = await runUpgrade(opts({ imageTag: 'v18.6.1' }), ports(w), io(yes()));
    expect(outcome.exitCode, `${outcome.headline}\n${outcome.details.join('\n')}`).toBe(0);
    expect(outcome.data?.upgrades).toEqual([
      expect.objectContaining({
        release: 'staging',
        result: 'upgraded',
        from: expect.objectContaining({ agentVersion: 'v18.6.0', revision: 3 }),
        to: expect.objectContaining({ agentVersion: 'v18.6.1', revision: 4 }),
      }),
    ]);
    const rev = w.clusters.get('demo-staging')!.releases[0]!.revisions.at(-1)!;
    expect(rev.values).toMatchObject({ image: { tag: 'v18.6.1' }, config: { secretName: 'staging-agent-token' } });
  });

  it('advanced flags change only those options: in the values diff and the new revision, every other value kept', async () => {
    const w = world();
    const before = structuredClone(w.clusters.get('demo-staging')!.releases[0]!.revisions.at(-1)!.values);
    const run = io(yes());
    const outcome = await runUpgrade(
      opts({ imageTag: 'v18.6.0', replicas: '3', nodeSelector: ['pool=agents'], toleration: ['dedicated=agents:NoSchedule'] }),
      ports(w),
      run,
    );
    expect(outcome.exitCode, `${outcome.headline}\n${outcome.details.join('\n')}`).toBe(0);
    const review = run.events.find((e) => e.type === 'review');
    expect(review?.type === 'review' && review.diffs?.[0]?.lines).toEqual(
      expect.arrayContaining(['+ replicas: 3', '+ nodeSelector.pool: "agents"', expect.stringMatching(/^\+ tolerations/)]),
    );
    const after = w.clusters.get('demo-staging')!.releases[0]!.revisions.at(-1)!.values;
    expect(after).toEqual({
      ...before,
      replicas: 3,
      nodeSelector: { pool: 'agents' },
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'agents', effect: 'NoSchedule' }],
    });
  });

  it('interactively, "Advanced options" asks the install\'s questions with the release\'s values as defaults; only a changed answer is a change', async () => {
    const w = world();
    const asker = new Script({ 'image-tag': 'v18.6.0', 'change-settings': ['advanced'], replicas: '4', review: 'upgrade' });
    const run = io(asker);
    const outcome = await runUpgrade(opts(), ports(w), run);
    expect(outcome.exitCode, `${outcome.headline}\n${outcome.details.join('\n')}`).toBe(0);
    const ids = asker.asked.map((q) => q.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'replicas',
        'requests',
        'limits',
        'node-selector',
        'toleration',
        'priority-class',
        'image-pull-secret',
        'pod-label',
        'pod-annotation',
        'kas-header',
        'kas-tls-server-name',
      ]),
    );
    const replicas = asker.asked.find((q) => q.id === 'replicas');
    expect(replicas?.kind === 'input' && replicas.default).toBe('2');
    const review = run.events.find((e) => e.type === 'review');
    const diff = review?.type === 'review' ? (review.diffs?.[0]?.lines ?? []) : [];
    expect(diff).toContain('+ replicas: 4');
    expect(diff.filter((l) => /^[+-] /.test(l))).toEqual(['+ replicas: 4']);
    expect(w.clusters.get('demo-staging')!.releases[0]!.revisions.at(-1)!.values).toMatchObject({ replicas: 4 });
  });

  it('a bad image: not Ready, rollback with --rollback-on-failure, Ready again on the old image', async () => {
    const w = world();
    const run = io(yes());
    const outcome = await runUpgrade(opts({ imageTag: 'does-not-exist', rollbackOnFailure: true }), ports(w), run);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.data?.upgrades[0]).toMatchObject({ result: 'rolled-back', to: { revision: 5 } });
    expect(outcome.details[0]).toMatch(/IMAGE_PULL|cannot pull image/i);
    const revisions = w.clusters.get('demo-staging')!.releases[0]!.revisions;
    expect(revisions.map((r) => r.revision)).toEqual([3, 4, 5]);
    expect(revisions.at(-1)!.values).toMatchObject({ image: { tag: 'v18.6.0' } });
    expect(done(run.events).some((d) => d.startsWith('Agent pods Ready after the rollback'))).toBe(true);
  });

  it('a bad image without --rollback-on-failure in flag mode: no rollback, the failed revision left', async () => {
    const w = world();
    const outcome = await runUpgrade(opts({ imageTag: 'does-not-exist' }), ports(w), io(yes()));
    expect(outcome.data?.upgrades[0]).toMatchObject({ result: 'failed' });
    expect(w.clusters.get('demo-staging')!.releases[0]!.revisions).toHaveLength(2);
  });
});

describe('uninstall over the demo world', () => {
  const opts = (raw: RawOptions = {}) =>
    optionValues(UNINSTALL_OPTION_IDS, { context: 'demo-staging', release: 'staging', timeoutMs: '60s', ...raw });

  it('without a terminal and without --yes it refuses, removing nothing', async () => {
    const w = world();
    const outcome = await runUninstall(opts(), ports(w), io(new FlagAsker('no terminal to ask on')));
    expect(outcome.exitCode).toBe(2);
    expect(outcome.headline).toMatch(/^--yes: Type the release name \(staging\) to uninstall it: not confirmed/);
    expect(w.clusters.get('demo-staging')!.releases).toHaveLength(1);
  });

  it('a wrong typed name is refused; the right one uninstalls; GitLab is left alone unless asked', async () => {
    const asker = new Script({ 'confirm-release': 'stagin' });
    await expect(runUninstall(opts(), ports(world()), io(asker)).then((o) => o.headline)).resolves.toMatch(
      /refused: type "staging" exactly/,
    );
    const w = world();
    const outcome = await runUninstall(opts(), ports(w), io(new Script({ 'confirm-release': 'staging' })));
    expect(outcome.exitCode, outcome.headline).toBe(0);
    expect(w.clusters.get('demo-staging')!.releases).toEqual([]);
    expect(w.clusters.get('demo-staging')!.namespaces.get('gitlab-agent-staging')?.secrets.has('staging-agent-token')).toBe(false);
    // The seeded namespace was not created by this tool: kept, and said so.
    expect(w.clusters.get('demo-staging')!.namespaces.has('gitlab-agent-staging')).toBe(true);
    expect(outcome.data?.remains).toEqual(
      expect.arrayContaining([
        'namespace gitlab-agent-staging (not created by this tool)',
        expect.stringMatching(/^agent token 32, still active in GitLab/),
        'agent staging (id 17), registered in demo-group/infrastructure',
        '.gitlab/agents/staging/config.yaml in demo-group/infrastructure',
      ]),
    );
    expect(w.gitlab.agents).toHaveLength(1);
    expect(w.gitlab.tokens.find((t) => t.id === 32)?.status).toBe('active');
  });

  it('--yes with every GitLab clean-up flag: token revoked, config file deleted, agent deleted', async () => {
    const w = world();
    const outcome = await runUninstall(opts({ revokeAgentToken: true, deleteAgent: true, deleteConfig: true }), ports(w), io(yes()));
    expect(outcome.exitCode, outcome.headline).toBe(0);
    expect(outcome.data?.gitlab).toEqual({ tokenRevoked: true, agentDeleted: true, configDeleted: true });
    expect(w.gitlab.agents).toEqual([]);
    expect(w.gitlab.projects[0]!.files.get('main')!.has('.gitlab/agents/staging/config.yaml')).toBe(false);
  });
});

describe('upgrade of several installs over the demo world', () => {
  /** A second agent in demo-staging, installed by the real install flow. */
  async function withSecond(w: DemoWorld) {
    const { runInstall } = await import('../../../src/core/flows/install/flow.js');
    const { INSTALL_OPTION_IDS } = await import('../../../src/core/flows/install/options.js');
    const installed = await runInstall(
      optionValues(INSTALL_OPTION_IDS, {
        context: 'demo-staging',
        project: 'demo-group/apps',
        agent: 'edge',
        timeoutMs: '60s',
        connectTimeoutMs: '30s',
      }) as never,
      ports(w),
      io(yes()),
    );
    expect(installed.exitCode, installed.headline).toBe(0);
  }
  const all = (raw: RawOptions = {}) =>
    optionValues(UPGRADE_OPTION_IDS, { context: 'demo-staging', timeoutMs: '60s', connectTimeoutMs: '30s', ...raw });

  it('one after another: the first failure stops the rest (flag mode), --continue-on-failure goes on', async () => {
    const w = world();
    await withSecond(w);
    const picking = new Script({
      installs: ['demo-staging/gitlab-agent-edge/edge', 'demo-staging/gitlab-agent-staging/staging'],
      'change-settings': [],
      continue: false,
    });
    const stopped = await runUpgrade(all({ imageTag: 'does-not-exist', chartVersion: '' }), ports(w), io(picking));
    expect(stopped.data?.upgrades.map((u) => [u.release, u.result])).toEqual([
      ['edge', 'failed'],
      ['staging', 'skipped'],
    ]);
    expect(stopped.headline).toBe('1 of 2 upgrades failed; the rest were not attempted.');
    const table = stopped.sections?.[0];
    expect(table?.kind === 'table' && table.rows.map((r) => r.at(-1))).toEqual(['✗ failed', '- not attempted']);

    const w2 = world();
    await withSecond(w2);
    const both = await runUpgrade(
      all({ imageTag: 'does-not-exist', chartVersion: '', continueOnFailure: true, rollbackOnFailure: true }),
      ports(w2),
      io(
        new Script({
          installs: ['demo-staging/gitlab-agent-edge/edge', 'demo-staging/gitlab-agent-staging/staging'],
          'change-settings': [],
        }),
      ),
    );
    expect(both.data?.upgrades.map((u) => [u.release, u.result])).toEqual([
      ['edge', 'rolled-back'],
      ['staging', 'rolled-back'],
    ]);
  });
});

describe('rotate-token cancelled (Ctrl-C)', () => {
  const opts = optionValues(ROTATE_OPTION_IDS, { context: 'demo-staging', revokeToken: '31', timeoutMs: '60s', connectTimeoutMs: '30s' });
  /** Aborts the run as soon as the step with this title starts. */
  function cancelAt(title: string) {
    const controller = new AbortController();
    const events: FlowEvent[] = [];
    const run: FlowIO = {
      asker: yes(),
      emit: (e) => {
        events.push(e);
        if (e.type === 'step' && e.status === 'running' && e.title === title) controller.abort();
      },
      signal: controller.signal,
    };
    return { run, events };
  }

  it('before the pods restarted: the old token goes back into the Secret and the new one is revoked, exit 130', async () => {
    const w = world();
    const { run } = cancelAt('Write it to the Secret');
    const outcome = await runRotateToken(opts, ports(w), run);
    expect(outcome.exitCode).toBe(130);
    expect(outcome.details).toEqual([
      '  Secret staging-agent-token holds token 32 again',
      '  new token 33 revoked',
      '  token 31 stays revoked (your choice)',
    ]);
    expect(w.clusters.get('demo-staging')!.namespaces.get('gitlab-agent-staging')!.secrets.get('staging-agent-token')!.tokenId).toBe(32);
    expect(w.gitlab.tokens.map((t) => [t.id, t.status])).toEqual([
      [31, 'revoked'],
      [32, 'active'],
      [33, 'revoked'],
    ]);
  });

  it('after the pods restarted: both tokens stay active and it says where everything is', async () => {
    const w = world();
    const { run } = cancelAt('Restart the agent pods');
    const outcome = await runRotateToken(opts, ports(w), run);
    expect(outcome.exitCode).toBe(130);
    expect(outcome.details).toEqual([
      '  new token 33 exists in GitLab and may be in the Secret',
      '  old token 32 is still active',
      '  the pods were restarted with the new token',
      'Run rotate-token again to finish: it starts from the token now in the Secret.',
    ]);
    expect(w.gitlab.tokens.filter((t) => t.status === 'active').map((t) => t.id)).toEqual([32, 33]);
  });
});
