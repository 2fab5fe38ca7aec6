import { describe, expect, it } from 'vitest';
import type { FlowEvent } from '../../src/core/kernel/events.js';
import type { FlowIO } from '../../src/core/kernel/io.js';
import type { AnswerOf, Asker, Question } from '../../src/core/kernel/questions.js';
import { runInstall } from '../../src/core/flows/install/flow.js';
import type { InstallOptions } from '../../src/core/flows/install/options.js';
import { createDemoPorts, createDemoWorld, type DemoWorld } from '../../src/demo/index.js';
import { DEMO_AGENT_TOKEN } from '../../src/demo/seed.js';
import { FlagAsker } from '../../src/ui/flags/flag-asker.js';

/** The demo story played 20× faster: same steps, same order, a few seconds per install. */
const TIME_SCALE = 20;

/** Answers by question id; anything else takes the question's default, and a question without one fails the test. */
class ScriptedAsker implements Asker {
  readonly asked: string[] = [];
  constructor(private readonly answers: Record<string, string | boolean>) {}

  async ask<Q extends Question>(q: Q): Promise<AnswerOf<Q>> {
    this.asked.push(q.id);
    const answer = this.answers[q.id] ?? (q.kind === 'secret' ? undefined : q.default);
    if (answer === undefined) throw new Error(`unexpected question ${q.id}: ${q.message}`);
    // The script is keyed by id, so the compiler cannot relate the answer to Q; the flow's own validation still runs.
    return answer as AnswerOf<Q>;
  }
}

function options(overrides: Partial<InstallOptions>): InstallOptions {
  return {
    kubeconfig: undefined,
    context: undefined,
    gitlabUrl: undefined,
    gitlabCa: undefined,
    kasAddress: undefined,
    project: undefined,
    agent: undefined,
    method: undefined,
    namespace: undefined,
    createNamespace: undefined,
    release: undefined,
    imageTag: undefined,
    imageRepository: undefined,
    chartVersion: undefined,
    chartRepo: undefined,
    chart: undefined,
    httpProxy: undefined,
    httpsProxy: undefined,
    noProxy: undefined,
    kasCaCert: undefined,
    allowExpiredCa: false,
    serviceAccount: undefined,
    existingRole: undefined,
    noRbac: false,
    tokenSecret: undefined,
    revokeToken: undefined,
    values: [],
    set: [],
    createConfig: undefined,
    valuesOut: undefined,
    dryRun: false,
    timeoutMs: 60_000,
    connectTimeoutMs: 30_000,
    ...overrides,
  };
}

async function install(opts: InstallOptions, asker: Asker, world: DemoWorld = createDemoWorld({ timeScale: TIME_SCALE })) {
  const events: FlowEvent[] = [];
  const io: FlowIO = { asker, emit: (e) => events.push(e), signal: new AbortController().signal };
  const outcome = await runInstall(opts, createDemoPorts({ world }), io);
  return { outcome, events, world };
}

const readiness = (events: FlowEvent[]) => events.flatMap((e) => (e.type === 'readiness' ? [e] : []));

describe('demo world: the install flow end to end', () => {
  it('installs interactively on demo-prod: Ready one pod at a time, then connected', async () => {
    const asker = new ScriptedAsker({ context: 'demo-prod', project: 'demo-group/infrastructure', agent: 'demo', review: 'apply' });
    const { outcome, events, world } = await install(options({}), asker);

    expect(outcome.headline).toBe('Agent demo is installed, Ready and connected.');
    expect(outcome.exitCode).toBe(0);
    // Each thing once: the agent, namespace and release are in the ledger; the page and the commands in the next steps.
    expect(outcome.details.slice(0, 2)).toEqual([
      'Token: id 33 in Secret gitlab-agent-demo/demo-agent-token',
      'Release demo in namespace gitlab-agent-demo on context demo-prod',
    ]);
    expect(outcome.details[2]).toMatch(/^GitLab sees it: token 33 used at \d{4}-\d\d-\d\dT/);
    expect(outcome.details).toHaveLength(3);
    const next = outcome.sections?.[0];
    // Continued over lines that fit 80 columns; joined, each is one command.
    expect(
      next?.kind === 'lines' &&
        next.lines
          .join('\n')
          .replace(/ \\\n {4}/g, ' ')
          .split('\n'),
    ).toEqual([
      'Status: gitlab-agent-tui status --context demo-prod --namespace gitlab-agent-demo --gitlab-url https://gitlab.example.com',
      'In GitLab: https://gitlab.example.com/demo-group/infrastructure/-/cluster_agents/demo',
      'Upgrade: gitlab-agent-tui upgrade --context demo-prod --namespace gitlab-agent-demo --release demo --gitlab-url https://gitlab.example.com',
      'Uninstall: gitlab-agent-tui uninstall --context demo-prod --namespace gitlab-agent-demo --release demo --gitlab-url https://gitlab.example.com --project demo-group/infrastructure --revoke-agent-token --delete-agent',
    ]);
    expect(outcome.sections?.slice(1)).toEqual([
      {
        kind: 'code',
        title: 'The same install without questions (for CI; the GitLab token comes from GITLAB_TOKEN):',
        text: [
          'gitlab-agent-tui install --yes \\',
          '  --context demo-prod \\',
          '  --gitlab-url https://gitlab.example.com \\',
          '  --project demo-group/infrastructure \\',
          '  --agent demo \\',
          '  --method helm \\',
          '  --namespace gitlab-agent-demo \\',
          '  --release demo \\',
          '  --image-tag v18.6.1 \\',
          '  --timeout 1m \\',
          '  --connect-timeout 30s',
        ].join('\n'),
      },
    ]);
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
      'use-kas-ca',
      'rbac',
      'create-config',
      'advanced',
      'review',
    ]);
    expect(outcome.ledger.map((e) => `${e.kind}:${e.created}`)).toEqual([
      'agent:true',
      'namespace:true',
      'token:true',
      'secret:true',
      'release:true',
    ]);

    const steps = events.flatMap((e) => (e.type === 'step' && e.status === 'done' ? [`${e.step}: ${e.detail}`] : []));
    expect(steps).toContain('context: demo-prod · Kubernetes v1.35.7');
    expect(steps).toContain('helm: v3.21.4');
    expect(steps).toContain('gitlab: https://gitlab.example.com · GitLab 18.6.1-ee · signed in as demo-user');
    expect(steps).toContain('ready: 2/2 pods ready');

    const helmLines = events.filter((e) => e.type === 'log');
    expect(helmLines.length).toBeGreaterThanOrEqual(45);
    expect(helmLines).toContainEqual({
      type: 'log',
      source: 'helm',
      line: 'Release "demo" does not exist. Installing it now.',
      stream: 'stdout',
    });
    expect(helmLines).toContainEqual({ type: 'log', source: 'helm', line: 'STATUS: deployed', stream: 'stdout' });

    // The pods pass through every stage, and turn Ready one at a time.
    const seen = readiness(events).map((e) => e.verdict.progress);
    expect(seen).toContain('0/2 pods ready');
    expect(seen).toContain('1/2 pods ready');
    expect(seen.at(-1)).toBe('2/2 pods ready');
    const reasons = readiness(events).flatMap((e) =>
      e.snapshot.pods.flatMap((p) => p.containers.map((c) => `${p.phase}/${c.state}/${c.reason ?? ''}`)),
    );
    expect(reasons).toEqual(expect.arrayContaining(['Pending/unknown/', 'Pending/waiting/ContainerCreating', 'Running/running/']));
    expect(readiness(events).at(-1)?.snapshot.deployment).toEqual({
      name: 'demo-gitlab-agent-v2',
      desired: 2,
      ready: 2,
      available: 2,
      updated: 2,
    });

    // The token went into the Secret and nowhere else.
    const secret = world.clusters.get('demo-prod')?.namespaces.get('gitlab-agent-demo')?.secrets.get('demo-agent-token');
    expect(secret?.tokenId).toBe(33);
    expect(secret?.token.reveal()).toBe(DEMO_AGENT_TOKEN);
    expect(JSON.stringify({ events, outcome })).not.toContain(DEMO_AGENT_TOKEN);
  });

  it('fails at readiness with the image-pull finding when the image tag does not exist (--yes)', async () => {
    const opts = options({ context: 'demo-prod', project: 'demo-group/infrastructure', agent: 'broken', imageTag: 'does-not-exist' });
    const { outcome, events } = await install(opts, new FlagAsker('--yes was given'));

    expect(outcome.exitCode).toBe(1);
    expect(outcome.headline).toMatch(
      /^readiness failed: broken-gitlab-agent-v2-[a-z0-9]+-[a-z0-9]{5}: ErrImagePull: cannot pull image registry\.gitlab\.com\/gitlab-org\/cluster-integration\/gitlab-agent\/agentk:does-not-exist \(rpc error: code = NotFound/,
    );
    const last = readiness(events).at(-1);
    expect(last?.verdict.state).toBe('failed');
    expect(last?.verdict.state === 'failed' && last.verdict.findings.map((f) => f.code)).toContain('IMAGE_PULL');
    expect(last?.snapshot.events.map((e) => `${e.type} ${e.reason}: ${e.message}`)).toContain('Warning Failed: Error: ErrImagePull');
    // What is left is named, with the commands to remove it.
    expect(outcome.details).toContain('  helm uninstall broken -n gitlab-agent-broken --kube-context demo-prod');
  });

  it('reuses the existing agent "staging" and revokes the token the user picks', async () => {
    const asker = new ScriptedAsker({
      context: 'demo-prod',
      project: 'demo-group/infrastructure',
      agent: 'staging',
      'revoke-token': '31',
      review: 'apply',
    });
    const { outcome, world } = await install(options({}), asker);

    expect(outcome.exitCode).toBe(0);
    expect(asker.asked).toEqual(expect.arrayContaining(['reuse-agent', 'revoke-token']));
    expect(outcome.ledger.map((e) => `${e.kind} ${e.id} ${e.created}`)).toEqual([
      'agent 17 false',
      'namespace gitlab-agent-staging true',
      'revoked-token 31 true',
      'token 33 true',
      'secret gitlab-agent-staging/staging-agent-token true',
      'release gitlab-agent-staging/staging true',
    ]);
    expect(world.gitlab.tokens.filter((t) => t.agentId === 17 && t.status === 'active').map((t) => t.id)).toEqual([32, 33]);
  });

  // The old release is Ready when the watch starts: only the new revision may count as Ready.
  it('fails a re-install whose new image cannot be pulled (upgrade of a Ready release)', async () => {
    const opts = options({ context: 'demo-staging', project: 'demo-group/infrastructure', agent: 'staging', imageTag: 'does-not-exist' });
    const { outcome } = await install(opts, new FlagAsker('--yes was given'));
    expect(outcome.headline).toMatch(/^readiness failed: .*ImagePull/);
  });

  it('stops at the context step when the chosen cluster refuses connections (flag mode)', async () => {
    const { outcome } = await install(
      options({ context: 'demo-offline', project: 'demo-group/infrastructure', agent: 'demo' }),
      new FlagAsker('--yes was given'),
    );
    expect(outcome.exitCode).toBe(1);
    expect(outcome.headline).toBe('context failed: context "demo-offline": connect ECONNREFUSED 10.0.42.1:6443');
  });

  it('asks for the context again, with the reason, when the chosen cluster refuses connections (interactive)', async () => {
    const problems: (string | undefined)[] = [];
    const asker = new ScriptedAsker({ project: 'demo-group/infrastructure', agent: 'demo', review: 'apply' });
    const ask = asker.ask.bind(asker);
    asker.ask = async (q) => {
      if (q.id === 'context') problems.push(q.problem);
      return ask(q);
    };
    const { outcome } = await install(options({ context: 'demo-offline', dryRun: true }), asker);
    expect(outcome.exitCode).toBe(0);
    // The flag's context is refused, the picker comes back with why and a reachable default.
    expect(problems).toEqual([]);
    const again = await install(options({ context: 'demo-offline' }), asker);
    expect(problems).toEqual([
      expect.stringContaining('context "demo-offline": connect ECONNREFUSED 10.0.42.1:6443 — check the server address'),
    ]);
    expect(again.outcome.exitCode).toBe(0);
  });
});

describe('demo world: the other install methods', () => {
  it('the advanced install runs its applied Deployment like a release: Ready and connected, invisible to helm', async () => {
    const asker = new ScriptedAsker({
      context: 'demo-prod',
      method: 'advanced',
      project: 'demo-group/infrastructure',
      agent: 'plain',
      review: 'apply',
    });
    const { outcome, world } = await install(options({}), asker);
    expect(outcome.headline, outcome.details.join('\n')).toBe('Agent plain is installed, Ready and connected.');
    const prod = world.clusters.get('demo-prod')!;
    expect(prod.objects?.all().map((o) => `${o.kind} ${o.metadata.name}`)).toContain('Deployment plain-gitlab-agent');
    expect(prod.releases.find((r) => r.name === 'plain')?.manifests).toBe(true);
  });

  it('flux says Flux is not installed on a demo cluster without it (exit 2)', async () => {
    const asker = new ScriptedAsker({
      context: 'demo-prod',
      method: 'flux',
      project: 'demo-group/infrastructure',
      agent: 'gitops',
      review: 'apply',
    });
    const { outcome } = await install(options({}), asker);
    expect(outcome.exitCode).toBe(2);
    expect(outcome.headline).toMatch(/^--method: Flux is not installed in context demo-prod/);
  });
});
