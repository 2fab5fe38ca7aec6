import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { FlowEvent } from '../../../src/core/kernel/events.js';
import type { AnswerOf, Asker, Question } from '../../../src/core/kernel/questions.js';
import { runInstall } from '../../../src/core/flows/install/flow.js';
import type { InstallOptions } from '../../../src/core/flows/install/options.js';
import { createDemoPorts, type DemoWorld } from '../../../src/demo/index.js';
import { createObjectStore } from '../../../src/demo/object-store.js';
import { DEMO_AGENT_TOKEN, deployedRelease } from '../../../src/demo/seed.js';
import type { DemoCluster } from '../../../src/demo/world.js';
import { FlagAsker } from '../../../src/ui/flags/flag-asker.js';
import { fastWorld, gitlabWrites, projectFile, tokenSecret } from '../../support/demo-world.js';

/** The demo world: demo-prod is the current context, demo-group/infrastructure is project 42. */
type World = DemoWorld;
const PROJECT = 'demo-group/infrastructure';
const prod = (w: World): DemoCluster => w.clusters.get('demo-prod')!;
const objectsOf = (w: World) => (prod(w).objects ??= createObjectStore(prod(w).servedGroups ?? {}, () => w.changed()));
const commitsOf = (w: World) => w.record.gitlab.filter((r) => r === 'POST /projects/42/repository/commits').length;
const file = (w: World, path: string, branch = 'main') => projectFile(w, 42, path, branch);

const FLUX = { 'source.toolkit.fluxcd.io': ['v1'], 'kustomize.toolkit.fluxcd.io': ['v1'], 'helm.toolkit.fluxcd.io': ['v2'] };

function opts(over: Partial<InstallOptions> = {}): InstallOptions {
  return { project: PROJECT, agent: 'prod', values: [], set: [], dryRun: false, timeoutMs: 5_000, connectTimeoutMs: 2_000, ...over };
}

async function install(w: World, o: Partial<InstallOptions> = {}, asker: Asker = new FlagAsker('--yes was given')) {
  const events: FlowEvent[] = [];
  const outcome = await runInstall(opts(o), createDemoPorts({ world: w, env: { GITLAB_TOKEN: 'glpat-fake-test-token' } }), {
    asker,
    emit: (e) => events.push(e),
    signal: new AbortController().signal,
  });
  return { outcome, events };
}

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

const tokenOf = (_w: World) => DEMO_AGENT_TOKEN;
const infos = (events: FlowEvent[]) =>
  events.filter((e) => e.type === 'info' || e.type === 'warn').map((e) => (e as { text: string }).text);

/** A cluster with Flux bootstrapped from group/infra at `path` (CRDs served, controllers Ready). */
async function fluxWorld(path = './clusters/prod'): Promise<World> {
  const w = fastWorld();
  prod(w).servedGroups = FLUX;
  const put = (o: Record<string, unknown>) => objectsOf(w).applyObject(o as never, { fieldManager: 'test' });
  for (const name of ['source-controller', 'kustomize-controller', 'helm-controller']) {
    await put({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'flux-system' }, status: { readyReplicas: 1 } });
  }
  await put({
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: { name: 'flux-system', namespace: 'flux-system' },
    spec: { url: 'ssh://git@gitlab.example.com/demo-group/infrastructure.git', ref: { branch: 'main' } },
  });
  await put({
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: 'flux-system', namespace: 'flux-system' },
    spec: { path, sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
  });
  return w;
}

/** Plays Flux after each commit: the Kustomization applies it and, unless told otherwise, the HelmRelease installs. */
function playFlux(w: World, helmRelease: 'ready' | 'install-failed' | 'absent' = 'ready') {
  const store = objectsOf(w);
  w.faults.onCommit = async ({ id }) => {
    const ksRef = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', namespace: 'flux-system', name: 'flux-system' };
    const ks = (await store.getObject(ksRef))!;
    await store.patchObject(ksRef, {
      status: {
        lastAppliedRevision: `main@sha1:${id}`,
        lastAttemptedRevision: `main@sha1:${id}`,
        conditions: [
          { type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: 'ok', observedGeneration: ks.metadata.generation },
        ],
      },
    });
    if (helmRelease === 'absent') return;
    const hr = await store.applyObject(
      { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'prod', namespace: 'flux-system' } },
      { fieldManager: 'kustomize-controller' },
    );
    const conditions =
      helmRelease === 'ready'
        ? [
            {
              type: 'Ready',
              status: 'True',
              reason: 'InstallSucceeded',
              message: 'Helm install succeeded',
              observedGeneration: hr.metadata.generation,
            },
          ]
        : [
            {
              type: 'Ready',
              status: 'False',
              reason: 'InstallFailed',
              message: 'Helm install failed for release gitlab-agent-prod/prod',
              observedGeneration: hr.metadata.generation,
            },
            {
              type: 'Released',
              status: 'False',
              reason: 'InstallFailed',
              message: 'Helm install failed: unable to build kubernetes objects: bad value',
              observedGeneration: hr.metadata.generation,
            },
          ];
    await store.patchObject(
      { apiVersion: hr.apiVersion, kind: hr.kind, namespace: 'flux-system', name: 'prod' },
      { status: { conditions } },
    );
    // helm-controller installed the chart: the demo's pods and connection follow the release.
    if (helmRelease === 'ready') {
      prod(w).releases.push(
        deployedRelease(
          w.time,
          'prod',
          'gitlab-agent-prod',
          { config: { secretName: 'prod-agent-token', kasAddress: 'wss://gitlab.example.com/-/kubernetes-agent/' } },
          0,
        ),
      );
      w.changed();
    }
  };
}

const newAgents = (w: World) => w.gitlab.agents.filter((a) => a.projectId === 42 && a.name !== 'staging');
const helmRuns = (w: World) => w.record.helm;
const written = (w: World, prefix: string) => [...w.files.keys()].filter((k) => k.startsWith(prefix));
const commitPaths = (w: World, dir: string) =>
  ['helm-repository.yaml', 'helm-release.yaml', 'kustomization.yaml'].map((f) => `${dir}/${f}`).filter((p) => file(w, p) !== undefined);

describe('--method flux', () => {
  it('commits the manifests in one commit, keeps the token out of Git, asks Flux to reconcile and waits for the HelmRelease', async () => {
    const w = await fluxWorld();
    playFlux(w);
    const { outcome, events } = await install(w, { method: 'flux', chartVersion: '2.32.0' });
    expect(outcome.exitCode, outcome.headline + outcome.details.join('\n')).toBe(0);
    expect(commitsOf(w)).toBe(1);
    expect(commitPaths(w, 'clusters/prod/gitlab-agent-prod')).toHaveLength(3);
    const hr = parse(file(w, 'clusters/prod/gitlab-agent-prod/helm-release.yaml')!) as Record<string, any>;
    expect(hr.apiVersion).toBe('helm.toolkit.fluxcd.io/v2');
    expect(hr.spec.chart.spec.version).toBe('2.32.0');
    expect(hr.spec.values.image.tag).toBe('v18.6.1');
    expect(hr.spec.values.config.secretName).toBe('prod-agent-token');
    for (const path of commitPaths(w, 'clusters/prod/gitlab-agent-prod')) expect(file(w, path)).not.toContain(tokenOf(w));
    expect(tokenSecret(w, 'demo-prod', 'gitlab-agent-prod', 'prod-agent-token')?.token.reveal()).toBe(tokenOf(w));
    const repo = await objectsOf(w).getObject({
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      namespace: 'flux-system',
      name: 'flux-system',
    });
    expect(repo?.metadata.annotations?.['reconcile.fluxcd.io/requestedAt']).toMatch(/^\d{4}-\d\d-\d\dT/);
    const done = events.filter((e) => e.type === 'step' && e.status === 'done').map((e) => (e as { step: string }).step);
    expect(done).toEqual([
      'context',
      'gitlab',
      'project',
      'agent',
      'options',
      'preflight',
      'register',
      'namespace',
      'token',
      'helm-install',
      'flux',
      'ready',
      'connected',
    ]);
    expect(outcome.ledger.map((l) => l.kind)).toContain('commit');
  });

  it("refuses a manifest path Flux does not reconcile, with the manual's explanation, before anything is created", async () => {
    const w = await fluxWorld();
    const { outcome } = await install(w, { method: 'flux', manifestPath: 'apps/agent' });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.headline).toBe(
      '--manifest-path: Kustomization flux-system/flux-system reconciles "clusters/prod" on main, so manifests committed to "apps/agent" would never be applied (pass --manifest-path clusters/prod (the --path flux bootstrap was given) or a directory below it)',
    );
    expect(gitlabWrites(w)).toEqual([]);
  });

  it('the manifest path question defaults to the Flux path and rejects one outside it', async () => {
    const w = await fluxWorld();
    playFlux(w);
    const seen: Question[] = [];
    const asker: Asker = {
      ask: async <Q extends Question>(q: Q) => {
        seen.push(q);
        if (q.id === 'manifest-path') return 'clusters/prod/agents' as AnswerOf<Q>;
        return new FlagAsker('x').ask(q);
      },
    };
    const { outcome } = await install(w, { method: 'flux' }, asker);
    expect(outcome.exitCode).toBe(0);
    const q = seen.find((x) => x.id === 'manifest-path') as Question & { default: string; validate: (v: string) => string | undefined };
    expect(q.default).toBe('clusters/prod');
    expect(q.validate('elsewhere')).toMatch(/Flux reconciles "clusters\/prod"/);
    expect(q.validate('clusters/prod/x')).toBeUndefined();
    expect(file(w, 'clusters/prod/agents/gitlab-agent-prod/helm-repository.yaml')).toBeDefined();
  });

  it('says Flux is not installed (exit 2) when the cluster serves no Flux API', async () => {
    const w = fastWorld();
    const { outcome } = await install(w, { method: 'flux' });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.headline).toMatch(
      /^--method: Flux is not installed in context demo-prod: the API server serves no source\.toolkit\.fluxcd\.io, kustomize/,
    );
  });

  it('refuses a project Flux does not watch and lists what it does', async () => {
    const w = await fluxWorld();
    const { outcome } = await install(w, { method: 'flux', project: 'demo-group/apps' });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.headline).toMatch(
      /^--project: no Flux Kustomization in context demo-prod reconciles demo-group\/apps \(Flux watches ssh:\/\/git@gitlab\.example\.com\/demo-group\/infrastructure\.git\)/,
    );
  });

  it("reports helm-controller's message when the HelmRelease fails to install", async () => {
    const w = await fluxWorld();
    playFlux(w, 'install-failed');
    const { outcome } = await install(w, { method: 'flux' });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.headline).toContain('HelmRelease flux-system/prod: Helm install failed: unable to build kubernetes objects: bad value');
  });

  it('calls an applied commit without the HelmRelease a path mismatch', async () => {
    const w = await fluxWorld();
    playFlux(w, 'absent');
    const { outcome } = await install(w, { method: 'flux' });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.headline).toMatch(
      /there is no HelmRelease flux-system\/prod: the manifests in "clusters\/prod" are outside what it reconciles/,
    );
  });

  it('at the repository root without a kustomization.yaml: warns, and adds one when asked', async () => {
    const w = await fluxWorld('./');
    playFlux(w);
    w.gitlab.projects
      .find((p) => p.id === 42)!
      .files.get('main')!
      .set('flux-system/kustomization.yaml', 'resources: [gotk-components.yaml]\n');
    const { outcome, events } = await install(w, { method: 'flux', addRootKustomization: true });
    expect(outcome.exitCode).toBe(0);
    expect(infos(events).some((t) => /reconciles the repository root, which has no kustomization\.yaml/.test(t))).toBe(true);
    expect((parse(file(w, 'kustomization.yaml')!) as { resources: string[] }).resources).toEqual(['flux-system', 'gitlab-agent-prod']);
  });

  it('a Flux branch the user may not push to is refused before anything is created, naming --merge-request', async () => {
    const w = await fluxWorld();
    w.faults.protectedBranches = ['main'];
    const { outcome } = await install(w, { method: 'flux' });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.headline).toBe(
      '--merge-request: main of demo-group/infrastructure is protected and you may not push to it (add --merge-request: the manifests then come as a merge request to merge)',
    );
    expect(gitlabWrites(w)).toEqual([]);
  });

  it('Ctrl-C while waiting for Flux ends the run at once (exit 130) and says what exists', async () => {
    const w = await fluxWorld();
    const controller = new AbortController();
    w.faults.onCommit = () => void setTimeout(() => controller.abort(), 20); // Flux never answers; the user gives up
    const events: FlowEvent[] = [];
    const outcome = await runInstall(
      opts({ method: 'flux', timeoutMs: 60_000 }),
      createDemoPorts({ world: w, env: { GITLAB_TOKEN: 'glpat-fake-test-token' } }),
      {
        asker: new FlagAsker('x'),
        emit: (e) => events.push(e),
        signal: controller.signal,
      },
    );
    expect(outcome.exitCode, outcome.headline).toBe(130);
    expect(outcome.ledger.map((e) => e.kind)).toEqual(['agent', 'namespace', 'token', 'secret', 'commit']);
    expect(events.some((e) => e.type === 'step' && e.step === 'flux' && e.status === 'failed' && e.detail === 'cancelled')).toBe(true);
  });

  it('--merge-request commits to a new branch from the Flux branch and opens a merge request', async () => {
    const w = await fluxWorld();
    w.faults.protectedBranches = ['main'];
    const branches: string[] = [];
    playFlux(w);
    const play = w.faults.onCommit!;
    w.faults.onCommit = async (c) => {
      branches.push(c.branch);
      await play(c);
    };
    const { outcome, events } = await install(w, { method: 'flux', mergeRequest: true });
    expect(outcome.exitCode, outcome.headline).toBe(0);
    expect(branches).toEqual([expect.stringMatching(/^gitlab-agent-tui\/prod-/)]);
    expect(file(w, 'clusters/prod/gitlab-agent-prod/helm-release.yaml', branches[0])).toBeDefined();
    expect(w.record.gitlab).toContain('POST /projects/42/merge_requests');
    expect(infos(events).some((t) => t.includes('merge request !1'))).toBe(true);
  });
});

describe('--method advanced', () => {
  it('applies our objects server-side (dry run first), writes the package, and waits for the pods', async () => {
    const w = fastWorld();
    const { outcome } = await install(w, { method: 'advanced', manifestsDir: '/tmp/pkg', imageTag: 'v18.6.1' });
    expect(outcome.exitCode, outcome.headline).toBe(0);
    const kinds = objectsOf(w)
      .all()
      .map((o) => `${o.kind} ${o.metadata.name}`);
    expect(kinds).toEqual([
      'ServiceAccount prod-gitlab-agent',
      'ClusterRoleBinding gitlab-agent-prod:prod-gitlab-agent-cluster-admin',
      'Deployment prod-gitlab-agent',
    ]);
    expect(helmRuns(w)).toEqual([]);
    expect(written(w, '/tmp/pkg/')).toEqual(
      expect.arrayContaining(['/tmp/pkg/kustomization.yaml', '/tmp/pkg/deployment.yaml', '/tmp/pkg/README.md']),
    );
    expect(
      written(w, '/tmp/pkg/')
        .map((k) => w.files.get(k))
        .join('\n'),
    ).not.toContain(tokenOf(w));
    const next = outcome.sections?.flatMap((s) => (s.kind === 'lines' ? s.lines : [])).join('\n');
    expect(next).toContain('Uninstall: kubectl --context demo-prod delete deployment,serviceaccount,configmap -n gitlab-agent-prod');
    expect(next).toContain('then delete agent prod in GitLab (https://gitlab.example.com/demo-group/infrastructure/-/clusters)');
  });

  it('refuses helm options, which mean nothing to our package', async () => {
    const { outcome } = await install(fastWorld(), { method: 'advanced', set: ['replicas=1'] });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.headline).toBe('--set: is a helm option; --method advanced installs no chart (drop it, or use --method helm)');
  });
});

describe('--method receptive', () => {
  it('is refused before anything is created where GitLab has no receptive agents', async () => {
    const w = fastWorld();
    const { outcome } = await install(w, { method: 'receptive', receptiveUrl: 'grpcs://agent.example.com:443' });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.headline).toMatch(
      /^--method: receptive agents are not available on https:\/\/gitlab\.example\.com: they need GitLab Ultimate/,
    );
    expect(gitlabWrites(w)).toEqual([]);
    expect(helmRuns(w)).toEqual([]);
  });

  it("creates the URL configuration, then installs with receptive values, no KAS address and our Secret apart from the chart's", async () => {
    const w = fastWorld({ receptiveAgents: true });
    const { outcome, events } = await install(w, { method: 'receptive', receptiveUrl: 'grpcs://agent.example.com:443' });
    expect(outcome.exitCode, outcome.headline).toBe(0);
    const agent = newAgents(w)[0]!;
    expect(w.gitlab.urlConfigurations).toEqual([expect.objectContaining({ url: 'grpcs://agent.example.com:443', agentId: agent.id })]);
    const args = helmRuns(w)[0]!.args.join(' ');
    expect(args).toContain('--set config.receptive.enabled=true');
    expect(args).toContain('--set config.kasAddress=null');
    expect(args).toContain(`--set-string config.api.jwtPublicKey=${w.gitlab.urlConfigurations![0]!.publicKey}`);
    expect(args).toContain('--set config.secretName=prod-gitlab-agent-receptive');
    expect(args).toContain('--set extraVolumes[0].secret.secretName=prod-agent-token');
    expect(args).not.toContain(tokenOf(w));
    expect(infos(events).some((t) => /up to 10 minutes/.test(t))).toBe(true);
    expect(outcome.ledger.map((l) => l.kind)).toContain('url-configuration');
  });

  it('in flag mode, a missing --receptive-url is named before any network call', async () => {
    const w = fastWorld({ receptiveAgents: true });
    const { outcome } = await install(w, { method: 'receptive' });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.headline).toMatch(/^--receptive-url: no answer/);
    expect(w.record.gitlab).toEqual([]);
  });

  it('asks for the address GitLab dials, checking it is grpc(s)', async () => {
    const w = fastWorld({ receptiveAgents: true });
    const asker = new ScriptedAsker({ method: 'receptive', 'receptive-url': 'grpc://10.0.0.1:8182', review: 'apply' });
    const { outcome } = await install(w, {}, asker);
    expect(outcome.exitCode, outcome.headline).toBe(0);
    expect(asker.asked).toContain('receptive-url');
    expect(w.gitlab.urlConfigurations![0]!.url).toBe('grpc://10.0.0.1:8182');
  });
});

describe('--export', () => {
  it.each([
    ['helm-values', ['values.yaml', 'README.md']],
    ['flux', ['helm-repository.yaml', 'helm-release.yaml', 'kustomization.yaml']],
    [
      'kustomize',
      ['kustomization.yaml', 'namespace.yaml', 'serviceaccount.yaml', 'clusterrolebinding.yaml', 'deployment.yaml', 'README.md'],
    ],
    ['terraform', ['main.tf']],
  ])('writes %s files and creates nothing', async (format, names) => {
    const w = fastWorld();
    const { outcome } = await install(w, { exportDir: '/tmp/out', exportFormat: format });
    expect(outcome.exitCode, outcome.headline).toBe(0);
    expect(outcome.headline).toBe(`Exported as ${format} to /tmp/out: nothing was created.`);
    expect(written(w, '/tmp/out/')).toEqual(names.map((n) => `/tmp/out/${n}`));
    expect(outcome.data).toEqual({ schemaVersion: 1, export: { format, dir: '/tmp/out', files: names.map((n) => `/tmp/out/${n}`) } });
    expect(gitlabWrites(w)).toEqual([]);
    expect(helmRuns(w)).toEqual([]);
  });

  it('--format without --export is a usage error', async () => {
    const { outcome } = await install(fastWorld(), { exportFormat: 'flux' });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.headline).toMatch(/^--format: says what --export writes/);
  });

  it('the review offers export as code and comes back to the review', async () => {
    const w = fastWorld();
    let reviews = 0;
    const asker: Asker = {
      ask: async <Q extends Question>(q: Q) => {
        if (q.id === 'review') return (reviews++ === 0 ? 'export' : 'cancel') as AnswerOf<Q>;
        if (q.id === 'format') return 'flux' as AnswerOf<Q>;
        if (q.id === 'export') return '/tmp/review-out' as AnswerOf<Q>;
        return new FlagAsker('x').ask(q);
      },
    };
    const { outcome } = await install(w, {}, asker);
    expect(outcome.exitCode).toBe(130);
    expect(written(w, '/tmp/review-out/')).toEqual([
      '/tmp/review-out/helm-repository.yaml',
      '/tmp/review-out/helm-release.yaml',
      '/tmp/review-out/kustomization.yaml',
    ]);
    expect(gitlabWrites(w)).toEqual([]);
  });
});
