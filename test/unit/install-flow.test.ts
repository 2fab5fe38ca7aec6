import { describe, expect, it } from 'vitest';
import type { FlowEvent } from '../../src/core/kernel/events.js';
import type { AnswerOf, Asker, Question } from '../../src/core/kernel/questions.js';
import { runInstall } from '../../src/core/flows/install/flow.js';
import type { InstallOptions } from '../../src/core/flows/install/options.js';
import { FlagAsker } from '../../src/ui/flags/flag-asker.js';
import { memoryDeps, newWorld, type World } from '../support/memory-deps.js';

const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url).pathname;

function opts(over: Partial<InstallOptions> = {}): InstallOptions {
  return { project: 'group/infra', agent: 'prod', values: [], set: [], dryRun: false, timeoutMs: 5_000, connectTimeoutMs: 2_000, ...over };
}

async function install(w: World, o: Partial<InstallOptions> = {}, asker: Asker = new FlagAsker('--yes was given'), env?: Record<string, string>) {
  const events: FlowEvent[] = [];
  const controller = new AbortController();
  const outcome = await runInstall(opts(o), memoryDeps(w, env), { asker, emit: (e) => events.push(e), signal: controller.signal });
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

const nothingCreated = (w: World) => {
  expect(w.gitlabCalls.filter((c) => !c.startsWith('GET'))).toEqual([]);
  expect(w.secrets.size).toBe(0);
  expect(w.helmRuns).toEqual([]);
  expect([...w.namespaces]).toEqual(['default']);
};

describe('install flow', () => {
  it('registers, stores the token in a Secret, runs helm without the token, waits for Ready and connection', async () => {
    const w = newWorld();
    const { outcome, events } = await install(w);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.headline).toContain('installed, Ready and connected');
    expect(w.agents.map((a) => a.name)).toEqual(['prod']);
    const secret = w.secrets.get('gitlab-agent-prod/prod-agent-token');
    expect(secret?.token.reveal()).toBe(w.tokens[0]!.value);
    const run = w.helmRuns[0]!;
    const tokenValue = w.tokens[0]!.value;
    expect(run.args.join(' ')).not.toContain(tokenValue);
    expect(run.stdin).not.toContain(tokenValue);
    expect(run.stdin).toContain('secretName: prod-agent-token');
    expect(JSON.stringify(events)).not.toContain(tokenValue);
    expect(events.filter((e) => e.type === 'step' && e.status === 'done').map((e) => (e as { step: string }).step)).toEqual([
      'context', 'helm', 'gitlab', 'project', 'agent', 'options', 'preflight', 'register', 'namespace', 'token', 'helm-install', 'ready', 'connected',
    ]);
  });

  it('re-running with the same answers reuses the agent and its token and upgrades the release', async () => {
    const w = newWorld();
    await install(w);
    const { outcome } = await install(w);
    expect(outcome.exitCode).toBe(0);
    expect(w.agents).toHaveLength(1);
    expect(w.tokens).toHaveLength(1);
    expect(w.helmRuns).toHaveLength(2);
    expect(outcome.ledger.filter((e) => e.created).map((e) => e.kind)).toEqual([]);
  });

  it('bad input creates nothing: unknown project is exit 2 naming --project', async () => {
    const w = newWorld();
    const { outcome } = await install(w, { project: 'nope/missing' });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.headline).toMatch(/^--project: project "nope\/missing" was not found/);
    nothingCreated(w);
  });

  it('a token without the api scope is exit 2 before anything is created', async () => {
    const w = newWorld();
    w.scopes = ['read_api'];
    const { outcome } = await install(w);
    expect(outcome.exitCode).toBe(2);
    expect(outcome.headline).toContain('needs "api"');
    nothingCreated(w);
  });

  it('an invalid agent name is exit 2 with the reason', async () => {
    const w = newWorld();
    const { outcome } = await install(w, { agent: 'Prod_1' });
    expect(outcome).toMatchObject({ exitCode: 2, headline: expect.stringMatching(/^--agent: agent name must be lowercase/) });
    nothingCreated(w);
  });

  it('an unknown context is exit 2 listing the known ones', async () => {
    const w = newWorld();
    const { outcome } = await install(w, { context: 'staging' });
    expect(outcome.headline).toBe('--context: unknown context "staging" (choose one of: dev, prod)');
    expect(outcome.exitCode).toBe(2);
  });

  it('an unreachable cluster fails with the reason; a dry run only warns', async () => {
    const w = newWorld();
    w.probes.dev = { ok: false, kind: 'unreachable', message: 'connect ECONNREFUSED 127.0.0.1:1', elapsedMs: 1 };
    const { outcome } = await install(w);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.headline).toContain('ECONNREFUSED');
    nothingCreated(w);
    const dry = await install(w, { dryRun: true });
    expect(dry.outcome.exitCode).toBe(0);
    expect(dry.events.some((e) => e.type === 'warn' && e.text.includes('not reachable'))).toBe(true);
  });

  it('a missing right is named by preflight and nothing is created', async () => {
    const w = newWorld();
    w.denied = (c) => c.resource === 'namespaces' || c.resource === 'clusterrolebindings';
    const { outcome } = await install(w);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.headline).toContain('create namespaces (cluster-wide)');
    expect(outcome.headline).toContain('create clusterrolebindings.rbac.authorization.k8s.io');
    nothingCreated(w);
  });

  it('with --yes and a missing answer names the flag', async () => {
    const w = newWorld();
    const { outcome } = await install(w, { agent: undefined });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.headline).toMatch(/^--agent: /);
    expect(outcome.headline).toContain('pass --agent');
  });

  it('never revokes silently: two active tokens need --revoke-token', async () => {
    const w = newWorld();
    w.agents.push({ id: 9, name: 'prod', projectId: 7 });
    w.tokens.push({ id: 1, name: 'a', status: 'active', agentId: 9, value: 'glagent-a-fake' }, { id: 2, name: 'b', status: 'active', agentId: 9, value: 'glagent-b-fake' });
    const first = await install(w);
    expect(first.outcome.exitCode).toBe(2);
    expect(first.outcome.headline).toMatch(/^--revoke-token:/);
    expect(w.tokens.every((t) => t.status === 'active')).toBe(true);
    const second = await install(w, { revokeToken: '1' });
    expect(second.outcome.exitCode).toBe(0);
    expect(w.tokens.find((t) => t.id === 1)!.status).toBe('revoked');
    expect(w.tokens.find((t) => t.id === 2)!.status).toBe('active');
  });

  it('a dry run creates nothing and prints the helm command', async () => {
    const w = newWorld();
    const { outcome, events } = await install(w, { dryRun: true });
    expect(outcome.exitCode).toBe(0);
    expect(outcome.details.join('\n')).toContain('helm upgrade --install prod gitlab-agent');
    expect(events.some((e) => e.type === 'review')).toBe(true);
    nothingCreated(w);
  });

  it('an image pull failure ends the wait at once with the diagnosis, and says what is left', async () => {
    const w = newWorld();
    w.podFailure = 'ImagePullBackOff';
    const { outcome } = await install(w, { imageTag: 'does-not-exist' });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.headline).toContain('ImagePullBackOff');
    expect(outcome.details.join('\n')).toContain('--image-tag');
    expect(outcome.details.join('\n')).toContain('helm uninstall prod -n gitlab-agent-prod');
  });

  it('Ctrl-C during helm cancels with exit 130 and lists what this run created', async () => {
    const w = newWorld();
    const controller = new AbortController();
    w.onHelm = () => controller.abort();
    const outcome = await runInstall(opts(), memoryDeps(w), { asker: new FlagAsker('x'), emit: () => undefined, signal: controller.signal });
    expect(outcome.exitCode).toBe(130);
    expect(outcome.details.join('\n')).toContain('agent prod');
    expect(outcome.details.join('\n')).toContain('Re-run the same command');
  });

  it('refuses a --set that would put a token into helm values', async () => {
    const w = newWorld();
    const { outcome } = await install(w, { set: ['config.token=glagent-x'] });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.headline).toMatch(/^--set:/);
    nothingCreated(w);
  });

  it('refuses an expired or non-PEM KAS CA unless allowed', async () => {
    const w = newWorld();
    expect((await install(w, { kasCaCert: fixture('not-a-cert.pem') })).outcome.headline).toMatch(/^--kas-ca-cert: .* is not a PEM certificate/);
    expect((await install(w, { kasCaCert: fixture('expired-ca.pem') })).outcome.headline).toMatch(/expired on 2021-01-01/);
    expect((await install(w, { kasCaCert: '/nonexistent/ca.pem' })).outcome.headline).toMatch(/^--kas-ca-cert: cannot read \/nonexistent\/ca.pem: .*no such file.* \(pass the path of a PEM file\)$/);
    // Checked before any network call.
    expect(w.gitlabCalls).toEqual([]);
    nothingCreated(w);
    const ok = await install(w, { kasCaCert: fixture('expired-ca.pem'), allowExpiredCa: true, dryRun: true });
    expect(ok.outcome.exitCode).toBe(0);
  });

  it('asks every question interactively, with the defaults GitLab uses', async () => {
    const w = newWorld();
    const asker = new ScriptedAsker({ context: 'prod', project: 'group/infra', agent: 'edge', 'use-proxy': true, 'https-proxy': 'http://proxy:3128', 'http-proxy': '', review: 'apply' });
    const { outcome, events } = await install(w, { project: undefined, agent: undefined }, asker);
    expect(outcome.exitCode).toBe(0);
    expect(asker.asked).toEqual(['context', 'method', 'project', 'agent', 'namespace', 'release', 'image-tag', 'chart-version', 'use-proxy', 'https-proxy', 'http-proxy', 'no-proxy', 'use-kas-ca', 'rbac', 'create-config', 'review']);
    const review = events.find((e) => e.type === 'review');
    expect(review && review.type === 'review' && review.items.find((i) => i.label === 'Namespace')?.value).toBe('gitlab-agent-edge (will be created)');
    expect(w.helmRuns[0]!.stdin).toContain('HTTPS_PROXY');
    // KAS 18.6.1 is a release: GitLab's install command uses it, patch included.
    expect(w.helmRuns[0]!.stdin).toContain('tag: v18.6.1');
  });

  it('prompts for the GitLab token when neither env nor glab has one', async () => {
    const w = newWorld();
    const asker = new ScriptedAsker({ 'gitlab-token': 'glpat-typed-fake', review: 'apply' });
    const { outcome } = await install(w, { createConfig: 'none', httpsProxy: undefined }, asker, {});
    expect(asker.asked).toContain('gitlab-token');
    expect(outcome.exitCode).toBe(0);
    const flags = await install(newWorld(), {}, new FlagAsker('--yes was given'), {});
    expect(flags.outcome.headline).toMatch(/^GITLAB_TOKEN: no GitLab token/);
    expect(flags.outcome.exitCode).toBe(2);
  });

  it('commits the agent configuration only when asked and only if missing', async () => {
    const w = newWorld();
    const { outcome } = await install(w, { createConfig: 'ci-access' });
    expect(outcome.exitCode).toBe(0);
    expect(w.files.get('.gitlab/agents/prod/config.yaml')).toContain('ci_access');
  });

  it('after a failure removes what this run created, when asked to', async () => {
    const w = newWorld();
    w.podFailure = 'ImagePullBackOff';
    const { outcome } = await install(w, { cleanupOnFailure: true });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.details, outcome.details.join('\n')).toContain('Cleaned up:');
    expect(outcome.details.join('\n')).toMatch(/removed helm release prod[\s\S]*removed Secret[\s\S]*removed agent token[\s\S]*removed namespace[\s\S]*removed agent prod/);
    expect(w.helmRuns.at(-1)!.args.slice(0, 2)).toEqual(['uninstall', 'prod']);
    expect([...w.namespaces]).toEqual(['default']);
    expect(w.secrets.size).toBe(0);
    expect(w.tokens.every((t) => t.status === 'revoked')).toBe(true);
    expect(w.gitlabCalls).toContain('DELETE /projects/7/cluster_agents/100');
  });

  it('asks before cleaning up in an interactive run, and keeps everything on no', async () => {
    const w = newWorld();
    w.podFailure = 'CrashLoopBackOff';
    const asker = new ScriptedAsker({ review: 'apply', cleanup: false });
    const { outcome } = await install(w, { createConfig: 'none' }, asker);
    expect(asker.asked.at(-1)).toBe('cleanup');
    expect(outcome.details.join('\n')).toContain('Re-run the same command');
    expect(w.secrets.size).toBe(1);
  });

  it("writes helm's full output to --helm-log", async () => {
    const w = newWorld();
    await install(w, { helmLog: '/tmp/helm.log' });
    expect(w.files.get('/tmp/helm.log')).toBe('helm line 0\nhelm line 1\nhelm line 2\n');
  });

  it('reports the live agentk connections GitLab lists, when it lists them', async () => {
    const w = newWorld();
    w.connects = false;
    w.connections = [
      { connectedAt: new Date().toISOString(), podName: 'prod-a', version: 'v18.6.0' },
      { connectedAt: new Date().toISOString(), podName: 'prod-b', version: 'v18.6.0' },
    ];
    const { outcome } = await install(w);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.details).toContain('GitLab sees it: 2 agentk connections (v18.6.0): prod-a, prod-b');
  });

  it('stale connections from before the install do not count, and the timeout says what to check', async () => {
    const w = newWorld();
    w.connects = false;
    w.connections = [{ connectedAt: '2020-01-01T00:00:00Z', podName: 'old', version: 'v17.0.0' }];
    const { outcome } = await install(w, { connectTimeoutMs: 20 });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.headline).toContain('Ready but GitLab saw no connection');
  });

  it("never upgrades a release that belongs to another installation without asking", async () => {
    const w = newWorld();
    w.namespaces.add('gitlab-agent-prod');
    w.releases.push({ name: 'prod', namespace: 'gitlab-agent-prod', chart: 'gitlab-agent-2.31.0' });
    const flags = await install(w);
    expect(flags.outcome.exitCode).toBe(2);
    expect(flags.outcome.headline).toMatch(/^--release: release prod already exists in gitlab-agent-prod and belongs to another installation/);
    expect(w.gitlabCalls.filter((c) => !c.startsWith('GET'))).toEqual([]);
    const asker = new ScriptedAsker({ 'take-over-release': true, review: 'apply' });
    const interactive = await install(w, { createConfig: 'none' }, asker);
    expect(asker.asked).toContain('take-over-release');
    expect(interactive.outcome.exitCode).toBe(0);
  });
});
