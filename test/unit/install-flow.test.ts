import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FlowEvent } from '../../src/core/kernel/events.js';
import type { AnswerOf, Asker, Question } from '../../src/core/kernel/questions.js';
import { runInstall } from '../../src/core/flows/install/flow.js';
import type { InstallOptions } from '../../src/core/flows/install/options.js';
import { createDemoPorts, type DemoWorld } from '../../src/demo/index.js';
import { DEMO_AGENT_TOKEN, deployedRelease, demoProject } from '../../src/demo/seed.js';
import { FlagAsker } from '../../src/ui/flags/flag-asker.js';
import { SEEDED_CLUSTERS, clusterState, fastWorld, gitlabWrites, projectFile, tokenSecret } from '../support/demo-world.js';

/**
 * The install flow over the demo world (demo-prod is the current context; demo-group/infrastructure is
 * project 42, where agent "staging" already exists with two active tokens).
 */

const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url).pathname;
const PROJECT_ID = 42;

function opts(over: Partial<InstallOptions> = {}): InstallOptions {
  return {
    project: 'demo-group/infrastructure',
    agent: 'prod',
    values: [],
    set: [],
    dryRun: false,
    timeoutMs: 5_000,
    connectTimeoutMs: 2_000,
    ...over,
  };
}

async function install(
  w: DemoWorld,
  o: Partial<InstallOptions> = {},
  asker: Asker = new FlagAsker('--yes was given'),
  env?: Record<string, string>,
) {
  const events: FlowEvent[] = [];
  const controller = new AbortController();
  const outcome = await runInstall(opts(o), createDemoPorts({ world: w, env: env ?? { GITLAB_TOKEN: 'glpat-fake-test-token' } }), {
    asker,
    emit: (e) => events.push(e),
    signal: controller.signal,
  });
  return { outcome, events };
}

/** Answers by question id; anything unscripted takes its default, or fails the test. */
class ScriptedAsker implements Asker {
  readonly asked: string[] = [];
  constructor(private readonly answers: Record<string, string | boolean>) {}
  async ask<Q extends Question>(q: Q): Promise<AnswerOf<Q>> {
    this.asked.push(q.id);
    if (q.id in this.answers) return this.answers[q.id] as AnswerOf<Q>;
    if (q.kind !== 'secret' && q.default !== undefined) return q.default as AnswerOf<Q>;
    throw new Error(`unscripted question ${q.id}`);
  }
}

const nothingCreated = (w: DemoWorld) => {
  expect(gitlabWrites(w)).toEqual([]);
  expect(w.record.helm).toEqual([]);
  expect(clusterState(w)).toEqual(SEEDED_CLUSTERS);
};

const agentNamed = (w: DemoWorld, name: string) => w.gitlab.agents.filter((a) => a.projectId === PROJECT_ID && a.name === name);
const tokensOf = (w: DemoWorld, agentId: number) => w.gitlab.tokens.filter((t) => t.agentId === agentId);

describe('install flow', () => {
  it('registers, stores the token in a Secret, runs helm without the token, waits for Ready and connection', async () => {
    const w = fastWorld();
    const { outcome, events } = await install(w);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.headline).toContain('installed, Ready and connected');
    expect(w.gitlab.agents.map((a) => a.name)).toEqual(['staging', 'prod']);
    const [agent] = agentNamed(w, 'prod');
    const [token] = tokensOf(w, agent!.id);
    const secret = tokenSecret(w, 'demo-prod', 'gitlab-agent-prod', 'prod-agent-token');
    expect(secret?.tokenId).toBe(token!.id);
    expect(secret?.token.reveal()).toBe(DEMO_AGENT_TOKEN);
    const run = w.record.helm[0]!;
    expect(run.args.join(' ')).not.toContain(DEMO_AGENT_TOKEN);
    expect(run.stdin).not.toContain(DEMO_AGENT_TOKEN);
    expect(run.stdin).toContain('secretName: prod-agent-token');
    expect(JSON.stringify(events)).not.toContain(DEMO_AGENT_TOKEN);
    expect(events.filter((e) => e.type === 'step' && e.status === 'done').map((e) => (e as { step: string }).step)).toEqual([
      'context',
      'helm',
      'gitlab',
      'project',
      'agent',
      'options',
      'preflight',
      'register',
      'namespace',
      'token',
      'helm-install',
      'ready',
      'connected',
    ]);
  });

  it('re-running with the same answers reuses the agent and its token and upgrades the release', async () => {
    const w = fastWorld();
    await install(w);
    const { outcome } = await install(w);
    expect(outcome.exitCode).toBe(0);
    expect(agentNamed(w, 'prod')).toHaveLength(1);
    expect(tokensOf(w, agentNamed(w, 'prod')[0]!.id)).toHaveLength(1);
    expect(w.record.helm).toHaveLength(2);
    expect(outcome.ledger.filter((e) => e.created).map((e) => e.kind)).toEqual([]);
  });

  it('bad input creates nothing: unknown project is exit 2 naming --project', async () => {
    const w = fastWorld();
    const { outcome } = await install(w, { project: 'nope/missing' });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.headline).toMatch(/^--project: project "nope\/missing" was not found/);
    nothingCreated(w);
  });

  it('a project the user only develops in: warned (a shared group may still make them Maintainer), then GitLab refuses the first write and nothing is created', async () => {
    const w = fastWorld();
    w.gitlab.projects = [demoProject({ id: 7, path: 'group/infra', accessLevel: 30 })];
    const { outcome, events } = await install(w, { project: 'group/infra' });
    expect(events.some((e) => e.type === 'warn' && e.text.startsWith('demo-user does not appear as a Maintainer of group/infra'))).toBe(
      true,
    );
    expect(outcome.exitCode).toBe(1);
    expect(outcome.headline).toBe('register failed: GitLab refused to register the agent in group/infra (403: 403 Forbidden)');
    expect(outcome.details).toContain('Next: demo-user needs the Maintainer role in group/infra; ask for it or pick another project');
    expect(outcome.details).toContain('Nothing was created.');
    // The refused registration was the only write, and it created nothing.
    expect(gitlabWrites(w)).toEqual(['POST /projects/7/cluster_agents']);
    expect(w.gitlab.agents.filter((a) => a.projectId === 7)).toEqual([]);
    expect(w.record.helm).toEqual([]);
    expect(clusterState(w)).toEqual(SEEDED_CLUSTERS);
  });

  it('a token without the api scope is exit 2 before anything is created', async () => {
    const w = fastWorld();
    w.gitlab.scopes = ['read_api'];
    const { outcome } = await install(w);
    expect(outcome.exitCode).toBe(2);
    expect(outcome.headline).toContain('needs "api"');
    nothingCreated(w);
  });

  it('an invalid agent name is exit 2 with the reason', async () => {
    const w = fastWorld();
    const { outcome } = await install(w, { agent: 'Prod_1' });
    expect(outcome).toMatchObject({ exitCode: 2, headline: expect.stringMatching(/^--agent: agent name must be lowercase/) });
    nothingCreated(w);
  });

  it('an unknown context is exit 2 listing the known ones', async () => {
    const w = fastWorld();
    const { outcome } = await install(w, { context: 'staging' });
    expect(outcome.headline).toBe('--context: unknown context "staging" (choose one of: demo-prod, demo-staging, demo-offline)');
    expect(outcome.exitCode).toBe(2);
  });

  it('an unreachable cluster fails with the reason; a dry run only warns', async () => {
    const w = fastWorld({
      probes: { 'demo-prod': { ok: false, kind: 'unreachable', message: 'connect ECONNREFUSED 127.0.0.1:1', elapsedMs: 1 } },
    });
    const { outcome } = await install(w);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.headline).toContain('ECONNREFUSED');
    nothingCreated(w);
    const dry = await install(w, { dryRun: true });
    expect(dry.outcome.exitCode).toBe(0);
    expect(dry.events.some((e) => e.type === 'warn' && e.text.includes('not reachable'))).toBe(true);
  });

  it('a missing right is named by preflight and nothing is created', async () => {
    const w = fastWorld({ denied: (c) => c.resource === 'namespaces' });
    const { outcome } = await install(w);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.headline).toContain('create namespaces (cluster-wide)');
    nothingCreated(w);
  });

  it('a right the rendered chart needs is named with the object that needs it, and nothing is created', async () => {
    const w = fastWorld({ denied: (c) => c.resource === 'clusterrolebindings' });
    const { outcome } = await install(w);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.headline).toMatch(
      /create clusterrolebindings\.rbac\.authorization\.k8s\.io \(cluster-wide\) \(to create ClusterRoleBinding \S+, which the chart renders\)/,
    );
    nothingCreated(w);
    expect(w.record.helm, 'helm install never ran').toEqual([]);
  });

  it('with --yes and a missing answer names the flag', async () => {
    const w = fastWorld();
    const { outcome } = await install(w, { agent: undefined });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.headline).toMatch(/^--agent: /);
    expect(outcome.headline).toContain('pass --agent');
  });

  it('never revokes silently: two active tokens need --revoke-token', async () => {
    const w = fastWorld();
    const createdAt = w.time.iso();
    w.gitlab.agents.push({ id: 9, name: 'prod', projectId: PROJECT_ID, createdAt });
    w.gitlab.tokens.push(
      { id: 1, name: 'a', description: '', status: 'active', agentId: 9, createdAt, lastUsedAt: null },
      { id: 2, name: 'b', description: '', status: 'active', agentId: 9, createdAt, lastUsedAt: null },
    );
    const first = await install(w);
    expect(first.outcome.exitCode).toBe(2);
    expect(first.outcome.headline).toMatch(/^--revoke-token:/);
    expect(tokensOf(w, 9).every((t) => t.status === 'active')).toBe(true);
    const second = await install(w, { revokeToken: '1' });
    expect(second.outcome.exitCode).toBe(0);
    expect(w.gitlab.tokens.find((t) => t.id === 1)!.status).toBe('revoked');
    expect(w.gitlab.tokens.find((t) => t.id === 2)!.status).toBe('active');
  });

  it('a dry run creates nothing and prints the helm command', async () => {
    const w = fastWorld();
    const { outcome, events } = await install(w, { dryRun: true });
    expect(outcome.exitCode).toBe(0);
    expect(outcome.sections?.map((s) => (s.kind === 'code' ? s.text : '')).join('\n')).toContain(
      'helm upgrade --install prod gitlab-agent',
    );
    expect(events.some((e) => e.type === 'review')).toBe(true);
    nothingCreated(w);
  });

  it('an image pull failure ends the wait at once with the diagnosis, and says what is left', async () => {
    const w = fastWorld({ podFailure: 'ImagePullBackOff' });
    const { outcome } = await install(w, { imageTag: 'does-not-exist' });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.headline).toContain('ImagePullBackOff');
    expect(outcome.details.join('\n')).toContain('--image-tag');
    expect(outcome.details.join('\n')).toContain('helm uninstall prod -n gitlab-agent-prod');
  });

  it('a crash-looping agent ends the wait with the CRASH_LOOP finding and its last log lines', async () => {
    const w = fastWorld({ podFailure: 'CrashLoopBackOff' });
    const { outcome } = await install(w);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.headline).toMatch(/^readiness failed: prod-gitlab-agent-v2-\w+-\w+: agentk keeps crashing \(1 restarts, last exit 1\)/);
    const details = outcome.details.join('\n');
    expect(details).toContain('Last agent log lines:');
    expect(details).toContain('"msg":"Program aborted"');
  });

  it('helm exiting non-zero fails the install with its last error line', async () => {
    const w = fastWorld({ helmError: 'UPGRADE FAILED: boom' });
    const { outcome } = await install(w);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.headline).toBe('helm failed: helm exited with code 1: UPGRADE FAILED: boom');
    // helm failed before creating anything: no release to own.
    expect(outcome.ledger.map((e) => e.kind)).not.toContain('release');
    expect(clusterState(w)['demo-prod']!.releases).toEqual([]);
  });

  it('Ctrl-C during helm cancels with exit 130 and lists what this run created', async () => {
    const controller = new AbortController();
    const w = fastWorld({ onHelm: () => controller.abort() });
    const outcome = await runInstall(opts(), createDemoPorts({ world: w }), {
      asker: new FlagAsker('x'),
      emit: () => undefined,
      signal: controller.signal,
    });
    expect(outcome.exitCode).toBe(130);
    expect(outcome.details.join('\n')).toContain('agent prod');
    expect(outcome.details.join('\n')).toContain('Re-run the same command');
  });

  it('refuses a --set that would put a token into helm values', async () => {
    const w = fastWorld();
    const { outcome } = await install(w, { set: ['config.token=glagent-x'] });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.headline).toMatch(/^--set:/);
    nothingCreated(w);
  });

  it('refuses an expired or non-PEM KAS CA unless allowed', async () => {
    const w = fastWorld();
    for (const name of ['not-a-cert.pem', 'expired-ca.pem']) w.files.set(fixture(name), readFileSync(fixture(name), 'utf8'));
    expect((await install(w, { kasCaCert: fixture('not-a-cert.pem') })).outcome.headline).toMatch(
      /^--kas-ca-cert: .* is not a PEM certificate/,
    );
    expect((await install(w, { kasCaCert: fixture('expired-ca.pem') })).outcome.headline).toMatch(/expired on 2021-01-01/);
    expect((await install(w, { kasCaCert: '/nonexistent/ca.pem' })).outcome.headline).toMatch(
      /^--kas-ca-cert: cannot read \/nonexistent\/ca.pem: .*no such file.* \(pass the path of a PEM file\)$/,
    );
    // Checked before any network call.
    expect(w.record.gitlab).toEqual([]);
    nothingCreated(w);
    const ok = await install(w, { kasCaCert: fixture('expired-ca.pem'), allowExpiredCa: true, dryRun: true });
    expect(ok.outcome.exitCode).toBe(0);
  });

  it('asks every question interactively, with the defaults GitLab uses', async () => {
    const w = fastWorld();
    const asker = new ScriptedAsker({
      context: 'demo-staging',
      project: 'demo-group/infrastructure',
      agent: 'edge',
      'use-proxy': true,
      'https-proxy': 'http://proxy:3128',
      'http-proxy': '',
      review: 'apply',
    });
    const { outcome, events } = await install(w, { project: undefined, agent: undefined }, asker);
    expect(outcome.exitCode).toBe(0);
    expect(asker.asked).toEqual([
      'context',
      'method',
      'project',
      'agent',
      'namespace',
      'release',
      'image-tag',
      'chart-version',
      'use-proxy',
      'https-proxy',
      'http-proxy',
      'no-proxy',
      'use-kas-ca',
      'rbac',
      'create-config',
      'advanced',
      'review',
    ]);
    const review = events.find((e) => e.type === 'review');
    expect(review && review.type === 'review' && review.items.find((i) => i.label === 'Namespace')?.value).toBe(
      'gitlab-agent-edge (will be created)',
    );
    expect(w.record.helm[0]!.stdin).toContain('HTTPS_PROXY');
    // KAS 18.6.1 is a release: GitLab's install command uses it, patch included.
    expect(w.record.helm[0]!.stdin).toContain('tag: v18.6.1');
  });

  it('prompts for the GitLab token when neither env nor glab has one', async () => {
    const w = fastWorld();
    const asker = new ScriptedAsker({ 'gitlab-token': 'glpat-typed-fake', review: 'apply' });
    const { outcome } = await install(w, { createConfig: 'none', httpsProxy: undefined }, asker, {});
    expect(asker.asked).toContain('gitlab-token');
    expect(outcome.exitCode).toBe(0);
    const flags = await install(fastWorld(), {}, new FlagAsker('--yes was given'), {});
    expect(flags.outcome.headline).toMatch(/^GITLAB_TOKEN: no GitLab token/);
    expect(flags.outcome.exitCode).toBe(2);
  });

  it('commits the agent configuration only when asked and only if missing', async () => {
    const w = fastWorld();
    const { outcome } = await install(w, { createConfig: 'ci-access' });
    expect(outcome.exitCode).toBe(0);
    expect(projectFile(w, PROJECT_ID, '.gitlab/agents/prod/config.yaml')).toContain('ci_access');
  });

  it('after a failure removes what this run created, when asked to', async () => {
    const w = fastWorld({ podFailure: 'ImagePullBackOff' });
    const { outcome } = await install(w, { cleanupOnFailure: true });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.details, outcome.details.join('\n')).toContain('Cleaned up:');
    expect(outcome.details.join('\n')).toMatch(
      /removed helm release prod[\s\S]*removed Secret[\s\S]*removed agent token[\s\S]*removed namespace[\s\S]*removed agent prod/,
    );
    // The ledger says so too: nothing removed is left marked as merely created (JSON and the TUI read it).
    expect(outcome.ledger.filter((e) => e.created).map((e) => `${e.kind}:${e.removed}`)).toEqual([
      'agent:true',
      'namespace:true',
      'token:true',
      'secret:true',
      'release:true',
    ]);
    expect(outcome.details.join('\n')).not.toContain('This run created');
    expect(w.record.helm.at(-1)!.args.slice(0, 2)).toEqual(['uninstall', 'prod']);
    expect(clusterState(w)).toEqual(SEEDED_CLUSTERS);
    const agentId = Number(outcome.ledger.find((e) => e.kind === 'agent')!.id);
    expect(tokensOf(w, agentId)).toHaveLength(1);
    expect(tokensOf(w, agentId).every((t) => t.status === 'revoked')).toBe(true);
    expect(w.record.gitlab).toContain(`DELETE /projects/${PROJECT_ID}/cluster_agents/${agentId}`);
  });

  it('asks before cleaning up in an interactive run, and keeps everything on no', async () => {
    const w = fastWorld({ podFailure: 'CrashLoopBackOff' });
    const asker = new ScriptedAsker({ review: 'apply', cleanup: false });
    const { outcome } = await install(w, { createConfig: 'none' }, asker);
    expect(asker.asked.at(-1)).toBe('cleanup');
    expect(outcome.details.join('\n')).toContain('Re-run the same command');
    expect(clusterState(w)['demo-prod']!.secrets).toEqual(['gitlab-agent-prod/prod-agent-token']);
  });

  it("writes helm's full output to --helm-log", async () => {
    const w = fastWorld();
    const { events } = await install(w, { helmLog: '/tmp/helm.log' });
    const printed = events.flatMap((e) => (e.type === 'log' && e.source === 'helm' ? [`${e.line}\n`] : []));
    expect(printed.length).toBeGreaterThan(10);
    expect(w.files.get('/tmp/helm.log')).toBe(printed.join(''));
  });

  it('reports the live agentk connections GitLab lists, when it lists them', async () => {
    const w = fastWorld({
      connects: false,
      // Without pod names (those must be this run's Ready pods: see test/unit/verify/await-connected.test.ts).
      agentConnections: [
        { connectedAt: new Date().toISOString(), version: 'v18.6.0' },
        { connectedAt: new Date().toISOString(), version: 'v18.6.0' },
      ],
    });
    const { outcome } = await install(w);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.details).toContain('GitLab sees it: 2 agentk connections (v18.6.0)');
  });

  it('stale connections from before the install do not count, and the timeout says what to check', async () => {
    const w = fastWorld({
      connects: false,
      agentConnections: [{ connectedAt: '2020-01-01T00:00:00Z', podName: 'old', version: 'v17.0.0' }],
    });
    const { outcome } = await install(w, { connectTimeoutMs: 20 });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.headline).toContain('Ready but GitLab saw no connection');
  });

  it('never upgrades a release that belongs to another installation without asking', async () => {
    const w = fastWorld();
    const prod = w.clusters.get('demo-prod')!;
    prod.namespaces.set('gitlab-agent-prod', { secrets: new Map() });
    prod.releases.push(
      deployedRelease(w.time, 'prod', 'gitlab-agent-prod', { config: { kasAddress: 'wss://kas.example.net', secretName: 'theirs' } }),
    );
    const flags = await install(w);
    expect(flags.outcome.exitCode).toBe(2);
    expect(flags.outcome.headline).toMatch(
      /^--release: release prod already exists in gitlab-agent-prod and belongs to another installation/,
    );
    expect(gitlabWrites(w)).toEqual([]);
    const asker = new ScriptedAsker({ 'take-over-release': true, review: 'apply' });
    const interactive = await install(w, { createConfig: 'none' }, asker);
    expect(asker.asked).toContain('take-over-release');
    expect(interactive.outcome.exitCode).toBe(0);
  });
});

describe('a cancel after helm recorded the release', () => {
  it('lists the release among what this run created, with its uninstall command', async () => {
    const w = fastWorld();
    const controller = new AbortController();
    // Ctrl-C the moment helm has written the release, before it reports back.
    const off = w.onChange(() => {
      if (w.clusters.get('demo-prod')?.releases.some((r) => r.name === 'prod')) controller.abort();
    });
    const outcome = await runInstall(opts(), createDemoPorts({ world: w, env: { GITLAB_TOKEN: 'glpat-fake-test-token' } }), {
      asker: new FlagAsker('--yes was given'),
      emit: () => undefined,
      signal: controller.signal,
    });
    off();
    expect(outcome.exitCode).toBe(130);
    expect(outcome.ledger.filter((e) => e.created).map((e) => e.kind)).toContain('release');
    expect(outcome.details).toContain('  helm uninstall prod -n gitlab-agent-prod --kube-context demo-prod');
  });
});
