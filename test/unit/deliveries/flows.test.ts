import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { FlowEvent } from '../../../src/core/kernel/events.js';
import type { AnswerOf, Asker, Question } from '../../../src/core/kernel/questions.js';
import { runInstall } from '../../../src/core/flows/install/flow.js';
import type { InstallOptions } from '../../../src/core/flows/install/options.js';
import { FlagAsker } from '../../../src/ui/flags/flag-asker.js';
import { memoryDeps, newWorld, type World } from '../../support/memory-deps.js';

const FLUX = { 'source.toolkit.fluxcd.io': ['v1'], 'kustomize.toolkit.fluxcd.io': ['v1'], 'helm.toolkit.fluxcd.io': ['v2'] };

function opts(over: Partial<InstallOptions> = {}): InstallOptions {
  return { project: 'group/infra', agent: 'prod', values: [], set: [], dryRun: false, timeoutMs: 5_000, connectTimeoutMs: 2_000, ...over };
}

async function install(w: World, o: Partial<InstallOptions> = {}, asker: Asker = new FlagAsker('--yes was given')) {
  const events: FlowEvent[] = [];
  const outcome = await runInstall(opts(o), memoryDeps(w), { asker, emit: (e) => events.push(e), signal: new AbortController().signal });
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

const tokenOf = (w: World) => w.tokens[0]?.value ?? 'glagent-none';
const infos = (events: FlowEvent[]) => events.filter((e) => e.type === 'info' || e.type === 'warn').map((e) => (e as { text: string }).text);

/** A cluster with Flux bootstrapped from group/infra at `path` (CRDs served, controllers Ready). */
async function fluxWorld(path = './clusters/prod'): Promise<World> {
  const w = newWorld();
  w.served = FLUX;
  const put = (o: Record<string, unknown>) => w.objects.applyObject(o as never, { fieldManager: 'test' });
  for (const name of ['source-controller', 'kustomize-controller', 'helm-controller']) {
    await put({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'flux-system' }, status: { readyReplicas: 1 } });
  }
  await put({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'flux-system', namespace: 'flux-system' }, spec: { url: 'ssh://git@gitlab.example.com/group/infra.git', ref: { branch: 'main' } } });
  await put({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'flux-system', namespace: 'flux-system' }, spec: { path, sourceRef: { kind: 'GitRepository', name: 'flux-system' } } });
  return w;
}

/** Plays Flux after each commit: the Kustomization applies it and, unless told otherwise, the HelmRelease installs. */
function playFlux(w: World, helmRelease: 'ready' | 'install-failed' | 'absent' = 'ready') {
  w.afterCommit = async ({ id }) => {
    const ksRef = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', namespace: 'flux-system', name: 'flux-system' };
    const ks = (await w.objects.getObject(ksRef))!;
    await w.objects.patchObject(ksRef, { status: { lastAppliedRevision: `main@sha1:${id}`, lastAttemptedRevision: `main@sha1:${id}`, conditions: [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: 'ok', observedGeneration: ks.metadata.generation }] } });
    if (helmRelease === 'absent') return;
    const hr = await w.objects.applyObject({ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'prod', namespace: 'flux-system' } }, { fieldManager: 'kustomize-controller' });
    const conditions =
      helmRelease === 'ready'
        ? [{ type: 'Ready', status: 'True', reason: 'InstallSucceeded', message: 'Helm install succeeded', observedGeneration: hr.metadata.generation }]
        : [
            { type: 'Ready', status: 'False', reason: 'InstallFailed', message: 'Helm install failed for release gitlab-agent-prod/prod', observedGeneration: hr.metadata.generation },
            { type: 'Released', status: 'False', reason: 'InstallFailed', message: 'Helm install failed: unable to build kubernetes objects: bad value', observedGeneration: hr.metadata.generation },
          ];
    await w.objects.patchObject({ apiVersion: hr.apiVersion, kind: hr.kind, namespace: 'flux-system', name: 'prod' }, { status: { conditions } });
    if (helmRelease === 'ready') w.releases.push({ name: 'prod', namespace: 'gitlab-agent-prod', chart: 'gitlab-agent-2.32.0' });
  };
}

describe('--method flux', () => {
  it('commits the manifests in one commit, keeps the token out of Git, asks Flux to reconcile and waits for the HelmRelease', async () => {
    const w = await fluxWorld();
    playFlux(w);
    const { outcome, events } = await install(w, { method: 'flux', chartVersion: '2.32.0' });
    expect(outcome.exitCode, outcome.headline + outcome.details.join('\n')).toBe(0);
    expect(w.commits).toHaveLength(1);
    const commit = w.commits[0]!;
    expect(commit.branch).toBe('main');
    expect(commit.actions.map((a) => `${a.action} ${a.path}`)).toEqual([
      'create clusters/prod/gitlab-agent-prod/helm-repository.yaml',
      'create clusters/prod/gitlab-agent-prod/helm-release.yaml',
      'create clusters/prod/gitlab-agent-prod/kustomization.yaml',
    ]);
    const hr = parse(commit.actions[1]!.content!) as Record<string, any>;
    expect(hr.apiVersion).toBe('helm.toolkit.fluxcd.io/v2');
    expect(hr.spec.chart.spec.version).toBe('2.32.0');
    expect(hr.spec.values.image.tag).toBe('v18.6.1');
    expect(hr.spec.values.config.secretName).toBe('prod-agent-token');
    expect(JSON.stringify(w.commits)).not.toContain(tokenOf(w));
    expect(w.secrets.get('gitlab-agent-prod/prod-agent-token')?.token.reveal()).toBe(tokenOf(w));
    const repo = await w.objects.getObject({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', namespace: 'flux-system', name: 'flux-system' });
    expect(repo?.metadata.annotations?.['reconcile.fluxcd.io/requestedAt']).toMatch(/^\d{4}-\d\d-\d\dT/);
    const done = events.filter((e) => e.type === 'step' && e.status === 'done').map((e) => (e as { step: string }).step);
    expect(done).toEqual(['context', 'gitlab', 'project', 'agent', 'options', 'preflight', 'register', 'namespace', 'token', 'helm-install', 'flux', 'ready', 'connected']);
    expect(outcome.ledger.map((l) => l.kind)).toContain('commit');
  });

  it('refuses a manifest path Flux does not reconcile, with the manual\'s explanation, before anything is created', async () => {
    const w = await fluxWorld();
    const { outcome } = await install(w, { method: 'flux', manifestPath: 'apps/agent' });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.headline).toBe('--manifest-path: Kustomization flux-system/flux-system reconciles "clusters/prod" on main, so manifests committed to "apps/agent" would never be applied (pass --manifest-path clusters/prod (the --path flux bootstrap was given) or a directory below it)');
    expect(w.commits).toEqual([]);
    expect(w.agents).toEqual([]);
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
    expect(w.commits[0]!.actions[0]!.path).toBe('clusters/prod/agents/gitlab-agent-prod/helm-repository.yaml');
  });

  it('says Flux is not installed (exit 2) when the cluster serves no Flux API', async () => {
    const w = newWorld();
    const { outcome } = await install(w, { method: 'flux' });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.headline).toMatch(/^--method: Flux is not installed in context dev: the API server serves no source\.toolkit\.fluxcd\.io, kustomize/);
  });

  it('refuses a project Flux does not watch and lists what it does', async () => {
    const w = await fluxWorld();
    w.projects.push({ id: 8, pathWithNamespace: 'group/other', name: 'other', webUrl: 'https://gitlab.example.com/group/other', defaultBranch: 'main', accessLevel: 40 });
    const { outcome } = await install(w, { method: 'flux', project: 'group/other' });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.headline).toMatch(/^--project: no Flux Kustomization in context dev reconciles group\/other \(Flux watches ssh:\/\/git@gitlab\.example\.com\/group\/infra\.git\)/);
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
    expect(outcome.headline).toMatch(/there is no HelmRelease flux-system\/prod: the manifests in "clusters\/prod" are outside what it reconciles/);
  });

  it('at the repository root without a kustomization.yaml: warns, and adds one when asked', async () => {
    const w = await fluxWorld('./');
    playFlux(w);
    w.files.set('flux-system/kustomization.yaml', 'resources: [gotk-components.yaml]\n');
    const { outcome, events } = await install(w, { method: 'flux', addRootKustomization: true });
    expect(outcome.exitCode).toBe(0);
    expect(infos(events).some((t) => /reconciles the repository root, which has no kustomization\.yaml/.test(t))).toBe(true);
    const root = w.commits[0]!.actions.find((a) => a.path === 'kustomization.yaml')!;
    expect((parse(root.content!) as { resources: string[] }).resources).toEqual(['flux-system', 'gitlab-agent-prod']);
  });

  it('a Flux branch the user may not push to is refused before anything is created, naming --merge-request', async () => {
    const w = await fluxWorld();
    w.protectedBranches = ['main'];
    const { outcome } = await install(w, { method: 'flux' });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.headline).toBe('--merge-request: main of group/infra is protected and you may not push to it (add --merge-request: the manifests then come as a merge request to merge)');
    expect(w.agents).toEqual([]);
    expect(w.secrets.size).toBe(0);
  });

  it('Ctrl-C while waiting for Flux ends the run at once (exit 130) and says what exists', async () => {
    const w = await fluxWorld();
    const controller = new AbortController();
    w.afterCommit = () => void setTimeout(() => controller.abort(), 20); // Flux never answers; the user gives up
    const events: FlowEvent[] = [];
    // A clock whose waits take their time (the memory one ends them at once): only the cancel can end this one.
    const clock = {
      now: () => Date.now(),
      sleep: (ms: number, signal: AbortSignal) =>
        new Promise<void>((resolve, reject) => {
          const t = setTimeout(resolve, ms);
          signal.addEventListener('abort', () => (clearTimeout(t), reject(new Error('aborted'))), { once: true });
        }),
    };
    const outcome = await runInstall(opts({ method: 'flux', timeoutMs: 60_000 }), { ...memoryDeps(w), clock }, { asker: new FlagAsker('x'), emit: (e) => events.push(e), signal: controller.signal });
    expect(outcome.exitCode, outcome.headline).toBe(130);
    expect(outcome.ledger.map((e) => e.kind)).toEqual(['agent', 'namespace', 'token', 'secret', 'commit']);
    expect(events.some((e) => e.type === 'step' && e.step === 'flux' && e.status === 'failed' && e.detail === 'cancelled')).toBe(true);
  });

  it('--merge-request commits to a new branch from the Flux branch and opens a merge request', async () => {
    const w = await fluxWorld();
    playFlux(w);
    const { outcome, events } = await install(w, { method: 'flux', mergeRequest: true });
    expect(outcome.exitCode).toBe(0);
    expect(w.commits[0]).toMatchObject({ branch: expect.stringMatching(/^gitlab-agent-tui\/prod-/), startBranch: 'main' });
    expect(w.gitlabCalls.some((c) => /^POST \/projects\/7\/merge_requests gitlab-agent-tui\/prod-\d+->main$/.test(c))).toBe(true);
    expect(infos(events).some((t) => t.includes('merge request !1'))).toBe(true);
  });
});

describe('--method advanced', () => {
  it('applies our objects server-side (dry run first), writes the package, and waits for the pods', async () => {
    const w = newWorld();
    const { outcome } = await install(w, { method: 'advanced', manifestsDir: '/tmp/pkg', imageTag: 'v18.6.1' });
    expect(outcome.exitCode, outcome.headline).toBe(0);
    const kinds = w.objects.all().map((o) => `${o.kind} ${o.metadata.name}`);
    expect(kinds).toEqual(['ServiceAccount prod-gitlab-agent', 'ClusterRoleBinding gitlab-agent-prod:prod-gitlab-agent-cluster-admin', 'Deployment prod-gitlab-agent']);
    expect(w.helmRuns).toEqual([]);
    expect([...w.written.keys()]).toEqual(expect.arrayContaining(['/tmp/pkg/kustomization.yaml', '/tmp/pkg/deployment.yaml', '/tmp/pkg/README.md']));
    expect([...w.written.values()].join('\n')).not.toContain(tokenOf(w));
    expect(outcome.details.join('\n')).toContain('Uninstall: kubectl --context dev delete deployment,serviceaccount,configmap -n gitlab-agent-prod');
  });

  it('refuses helm options, which mean nothing to our package', async () => {
    const { outcome } = await install(newWorld(), { method: 'advanced', set: ['replicas=1'] });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.headline).toBe('--set: is a helm option; --method advanced installs no chart (drop it, or use --method helm)');
  });
});

describe('--method receptive', () => {
  it('is refused before anything is created where GitLab has no receptive agents', async () => {
    const w = newWorld();
    const { outcome } = await install(w, { method: 'receptive', receptiveUrl: 'grpcs://agent.example.com:443' });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.headline).toMatch(/^--method: receptive agents are not available on https:\/\/gitlab\.example\.com: they need GitLab Ultimate/);
    expect(w.agents).toEqual([]);
    expect(w.helmRuns).toEqual([]);
  });

  it('creates the URL configuration, then installs with receptive values, no KAS address and our Secret apart from the chart\'s', async () => {
    const w = newWorld();
    w.receptive = true;
    const { outcome, events } = await install(w, { method: 'receptive', receptiveUrl: 'grpcs://agent.example.com:443' });
    expect(outcome.exitCode, outcome.headline).toBe(0);
    expect(w.urlConfigurations).toEqual([expect.objectContaining({ url: 'grpcs://agent.example.com:443', agentId: w.agents[0]!.id })]);
    const args = w.helmRuns[0]!.args.join(' ');
    expect(args).toContain('--set config.receptive.enabled=true');
    expect(args).toContain('--set config.kasAddress=null');
    expect(args).toContain('--set-string config.api.jwtPublicKey=ZmFrZS1wdWJsaWMta2V5LWZvci10ZXN0cw==');
    expect(args).toContain('--set config.secretName=prod-gitlab-agent-receptive');
    expect(args).toContain('--set extraVolumes[0].secret.secretName=prod-agent-token');
    expect(args).not.toContain(tokenOf(w));
    expect(infos(events).some((t) => /up to 10 minutes/.test(t))).toBe(true);
    expect(outcome.ledger.map((l) => l.kind)).toContain('url-configuration');
  });

  it('asks for the address GitLab dials, checking it is grpc(s)', async () => {
    const w = newWorld();
    w.receptive = true;
    const asker = new ScriptedAsker({ method: 'receptive', 'receptive-url': 'grpc://10.0.0.1:8182', review: 'apply' });
    const { outcome } = await install(w, {}, asker);
    expect(outcome.exitCode, outcome.headline).toBe(0);
    expect(asker.asked).toContain('receptive-url');
    expect(w.urlConfigurations[0]!.url).toBe('grpc://10.0.0.1:8182');
  });
});

describe('--export', () => {
  it.each([
    ['helm-values', ['values.yaml', 'README.md']],
    ['flux', ['helm-repository.yaml', 'helm-release.yaml', 'kustomization.yaml']],
    ['kustomize', ['kustomization.yaml', 'namespace.yaml', 'serviceaccount.yaml', 'clusterrolebinding.yaml', 'deployment.yaml', 'README.md']],
    ['terraform', ['main.tf']],
  ])('writes %s files and creates nothing', async (format, names) => {
    const w = newWorld();
    const { outcome } = await install(w, { exportDir: '/tmp/out', exportFormat: format });
    expect(outcome.exitCode, outcome.headline).toBe(0);
    expect(outcome.headline).toBe(`Exported as ${format} to /tmp/out: nothing was created.`);
    expect([...w.written.keys()]).toEqual(names.map((n) => `/tmp/out/${n}`));
    expect(outcome.data).toEqual({ schemaVersion: 1, export: { format, dir: '/tmp/out', files: names.map((n) => `/tmp/out/${n}`) } });
    expect(w.agents).toEqual([]);
    expect(w.tokens).toEqual([]);
    expect(w.helmRuns).toEqual([]);
  });

  it('--format without --export is a usage error', async () => {
    const { outcome } = await install(newWorld(), { exportFormat: 'flux' });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.headline).toMatch(/^--format: says what --export writes/);
  });

  it('the review offers export as code and comes back to the review', async () => {
    const w = newWorld();
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
    expect([...w.written.keys()]).toEqual(['/tmp/review-out/helm-repository.yaml', '/tmp/review-out/helm-release.yaml', '/tmp/review-out/kustomization.yaml']);
    expect(w.agents).toEqual([]);
  });
});
