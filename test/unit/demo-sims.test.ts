import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../src/core/kernel/errors.js';
import { inspectCaPem } from '../../src/core/plan/ca-cert.js';
import { GitLabApiError } from '../../src/core/ports/gitlab.js';
import type { HelmStream } from '../../src/core/ports/helm.js';
import type { ReadinessSnapshot } from '../../src/core/readiness/snapshot.js';
import { diagnoseReadiness } from '../../src/core/readiness/diagnose.js';
import { Secret } from '../../src/core/kernel/secret.js';
import { DEMO_CA_PATH } from '../../src/demo/demo-ca.js';
import { parseHelmArgs } from '../../src/demo/helm-args.js';
import { snapshotAt } from '../../src/demo/pod-timeline.js';
import { CHART_DEFAULTS, mergeValues } from '../../src/demo/release-values.js';
import { createSimFiles } from '../../src/demo/sim-files.js';
import { createSimGitLab } from '../../src/demo/sim-gitlab.js';
import { createSimHelm } from '../../src/demo/sim-helm.js';
import { createSimKube } from '../../src/demo/sim-kube.js';
import { createDemoWorld, type DemoFaults, type DemoRelease } from '../../src/demo/world.js';

const fast = (faults: DemoFaults = {}) => createDemoWorld({ timeScale: 50, faults });
const gitlabClient = (world = fast()) =>
  createSimGitLab(world).connect({ url: 'https://gitlab.example.com/', token: new Secret('demo-token') });

describe('sim-kube', () => {
  it('lists three contexts with demo-prod current, and probes them like real clusters', async () => {
    const kube = createSimKube(fast());
    const contexts = await kube.listContexts({});
    expect(contexts.map((c) => `${c.name}${c.current ? '*' : ''}`)).toEqual(['demo-prod*', 'demo-staging', 'demo-offline']);
    expect(contexts[0]?.server).toBe('https://prod.k8s.example:6443');

    const prod = await kube.probe({}, 'demo-prod', 3000);
    expect(prod).toMatchObject({ ok: true, serverVersion: 'v1.35.7' });
    expect(prod.elapsedMs).toBeGreaterThan(0);
    expect(await kube.probe({}, 'demo-offline', 3000)).toMatchObject({
      ok: false,
      kind: 'unreachable',
      message: 'connect ECONNREFUSED 10.0.42.1:6443',
    });
    expect(await kube.probe({}, 'demo-offline', 1000)).toMatchObject({ ok: false, kind: 'timeout' });
  });

  it('allows everything, keeps namespaces and token Secrets in memory', async () => {
    const cluster = await createSimKube(fast()).cluster({}, 'demo-prod');
    expect(await cluster.canI([{ verb: 'create', group: '', resource: 'secrets', namespace: 'x' }])).toEqual([
      { verb: 'create', group: '', resource: 'secrets', namespace: 'x', allowed: true },
    ]);
    expect(await cluster.namespaceExists('agents')).toBe(false);
    await expect(
      cluster.writeTokenSecret({ namespace: 'agents', name: 't', token: new Secret('v'), tokenId: 1, agentName: 'a', agentId: 2 }),
    ).rejects.toThrow('namespaces "agents" not found');
    await cluster.createNamespace('agents');
    await cluster.writeTokenSecret({ namespace: 'agents', name: 't', token: new Secret('v'), tokenId: 1, agentName: 'a', agentId: 2 });
    // Like the real adapter, the Secret names the agent it was written for (labels and annotations).
    expect(await cluster.getTokenSecret('agents', 't')).toEqual({
      namespace: 'agents',
      name: 't',
      tokenId: 1,
      agentId: 2,
      agentName: 'a',
      managedByUs: true,
      hasTokenKey: true,
    });
    expect((await cluster.readTokenValue('agents', 't'))?.reveal()).toBe('v');
    expect(await cluster.namespaceInfo('agents')).toEqual({ name: 'agents', managedByUs: true, terminating: false, secretNames: ['t'] });
  });

  it('stops watching when the signal aborts', async () => {
    const cluster = await createSimKube(fast()).cluster({}, 'demo-prod');
    const stop = new AbortController();
    const seen: ReadinessSnapshot[] = [];
    const watching = cluster.watchReadiness(
      'default',
      'app.kubernetes.io/name=gitlab-agent,app.kubernetes.io/instance=x',
      (s) => seen.push(s),
      stop.signal,
    );
    await new Promise((r) => setTimeout(r, 30));
    stop.abort();
    await expect(watching).resolves.toBeUndefined();
    expect(seen).toEqual([{ pods: [], events: [] }]);
  });
});

describe('sim-gitlab', () => {
  it('answers like the GitLab API, 404 as GitLabApiError', async () => {
    const client = gitlabClient();
    expect(client.url).toBe('https://gitlab.example.com');
    expect((await client.currentUser()).username).toBe('demo-user');
    expect(await client.metadata()).toMatchObject({
      version: '18.6.1-ee',
      kas: { externalUrl: 'wss://gitlab.example.com/-/kubernetes-agent/', version: '18.6.1' },
    });
    expect(await client.project('42')).toMatchObject({
      pathWithNamespace: 'demo-group/infrastructure',
      defaultBranch: 'main',
      accessLevel: 40,
    });
    expect((await client.searchProjects('app')).map((p) => p.id)).toEqual([43]);
    const missing = await client.project('demo-group/nope').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(GitLabApiError);
    expect((missing as GitLabApiError).status).toBe(404);
  });

  it("keeps GitLab's two-active-token limit, and forgets revoked tokens", async () => {
    const client = gitlabClient();
    expect((await client.listTokens(42, 17)).map((t) => t.id)).toEqual([31, 32]);
    await expect(client.createToken(42, 17, 'n', 'd')).rejects.toThrow('only two active tokens');
    await client.revokeToken(42, 17, 31);
    expect(await client.getToken(42, 17, 31)).toBeUndefined();
    const created = await client.createToken(42, 17, 'n', 'd');
    expect(created.token.id).toBe(33);
    expect(String(created.value)).toBe('********');
    expect(created.value.reveal()).toBe('glagent-demo-fake-token-not-real');
  });
});

describe('sim-files', () => {
  it('holds a valid demo CA, rejects missing files, keeps writes in memory', async () => {
    const world = fast();
    const files = createSimFiles(world);
    const ca = inspectCaPem(await files.readText(`./${DEMO_CA_PATH}`));
    expect(ca).toMatchObject({ subject: 'CN=demo-kas-ca', expired: false, count: 1 });
    await expect(files.readText('nope.pem')).rejects.toThrow('no such file');
    await files.writeText('./out/values.yaml', 'a: 1\n');
    expect(await files.exists('out/values.yaml')).toBe(true);
    expect(world.files.get('out/values.yaml')).toBe('a: 1\n');
  });
});

describe('sim-helm', () => {
  const args = (...extra: string[]) => [
    'upgrade',
    '--install',
    'demo',
    'gitlab-agent',
    '--namespace',
    'default',
    '--repo',
    'https://charts.gitlab.io',
    '--kube-context',
    'demo-prod',
    '-f',
    '-',
    ...extra,
  ];

  it('installs from stdin values plus --set, streaming helm output', async () => {
    const world = fast();
    const lines: [string, HelmStream][] = [];
    const result = await createSimHelm(world).run({
      args: args('--set', 'replicas=1'),
      stdin: 'config:\n  kasAddress: wss://gitlab.example.com/-/kubernetes-agent/\n  secretName: demo-agent-token\n',
      onLine: (line, stream) => lines.push([line, stream]),
      signal: new AbortController().signal,
    });
    expect(result.exitCode).toBe(0);
    expect(lines.length).toBeGreaterThan(40);
    expect(lines).toContainEqual(['REVISION: 1', 'stdout']);
    const release = world.clusters.get('demo-prod')?.releases[0];
    expect(release?.revisions[0]).toMatchObject({
      status: 'deployed',
      values: { replicas: 1, config: { secretName: 'demo-agent-token' } },
    });
    expect(await createSimHelm(world).listReleases({ context: 'demo-prod' }, 'default')).toEqual([
      { name: 'demo', namespace: 'default', revision: 1, status: 'deployed', chart: 'gitlab-agent-2.32.0', appVersion: 'v18.6.0' },
    ]);
  });

  it('fails like helm for an unknown chart version', async () => {
    const result = await createSimHelm(fast()).run({
      args: args('--version', '9.9.9'),
      stdin: '',
      onLine: () => undefined,
      signal: new AbortController().signal,
    });
    expect(result).toEqual({
      exitCode: 1,
      stderrTail: expect.arrayContaining(['Error: chart "gitlab-agent" version "9.9.9" not found in https://charts.gitlab.io repository']),
    });
  });

  it('rejects with CancelledError when aborted, leaving the release pending as a killed helm does', async () => {
    const world = fast();
    const stop = new AbortController();
    const running = createSimHelm(world).run({
      args: args(),
      stdin: '',
      onLine: (line) => {
        if (line.startsWith('NAME:')) stop.abort();
      },
      signal: stop.signal,
    });
    await expect(running).rejects.toBeInstanceOf(CancelledError);
    expect(world.clusters.get('demo-prod')?.releases[0]?.revisions[0]?.status).toBe('pending-install');
  });
});

describe('helm argv and the pod timeline', () => {
  it('reads --flag value and --flag=value alike', () => {
    expect(
      parseHelmArgs([
        'upgrade',
        '--install',
        'r',
        'c',
        '--namespace=ns',
        '--kube-context',
        'k',
        '-f',
        '-',
        '--values=x.yaml',
        '--set',
        'a=b',
      ]),
    ).toEqual({
      kind: 'upgrade',
      install: true,
      release: 'r',
      chart: 'c',
      namespace: 'ns',
      context: 'k',
      repo: undefined,
      version: undefined,
      valuesFiles: ['-', 'x.yaml'],
      sets: ['a=b'],
      setStrings: [],
    });
    expect(parseHelmArgs(['upgrade', 'r', 'c', '--set-string', 'k=a+b/c='])).toMatchObject({ setStrings: ['k=a+b/c='] });
    expect(() => parseHelmArgs(['upgrade', 'r', 'c', '--bogus'])).toThrow('unknown flag: --bogus');
  });

  it('rolls an upgrade one pod at a time, and a new pod that cannot pull stops the rollout', () => {
    const values = (tag: string) => mergeValues(CHART_DEFAULTS, { image: { tag } });
    const release: DemoRelease = {
      name: 'a',
      namespace: 'ns',
      revisions: [
        { revision: 1, deployedAt: 0, values: values('v18.6.0'), status: 'deployed', chartVersion: '2.32.0', appVersion: 'v18.6.0' },
        {
          revision: 2,
          deployedAt: 10_000,
          values: values('does-not-exist'),
          status: 'deployed',
          chartVersion: '2.32.0',
          appVersion: 'v18.6.0',
        },
      ],
    };
    const iso = (t: number) => new Date(t).toISOString();
    const stuck = snapshotAt(release, 15_000, iso);
    expect(stuck.deployment).toEqual({ name: 'a-gitlab-agent-v2', desired: 2, ready: 2, available: 2, updated: 1 });
    expect(stuck.pods.map((p) => `${p.ready} ${p.containers[0]?.reason ?? ''}`).sort()).toEqual([
      'false ImagePullBackOff',
      'true ',
      'true ',
    ]);
    expect(diagnoseReadiness(stuck, 5000)).toMatchObject({ state: 'failed', findings: [{ code: 'IMAGE_PULL' }] });
  });
});

describe('record and faults: the parts of the world tests use', () => {
  const helmArgs = ['upgrade', '--install', 'demo', 'gitlab-agent', '--namespace', 'default', '--kube-context', 'demo-prod', '-f', '-'];
  const runHelm = (world: ReturnType<typeof fast>, signal = new AbortController().signal) =>
    createSimHelm(world).run({ args: helmArgs, stdin: 'replicas: 1\n', onLine: () => undefined, signal });

  it('records GitLab requests as method and path, and helm processes with argv and stdin', async () => {
    const world = fast();
    const client = gitlabClient(world);
    await client.project('demo-group/infrastructure');
    await client.registerAgent(42, 'x');
    await client.commitFile(42, { branch: 'main', path: '.gitlab/agents/x/config.yaml', content: '', message: 'm', create: true });
    await client.agentConnections('demo-group/infrastructure', 'x');
    expect(world.record.gitlab).toEqual([
      'GET /projects/demo-group%2Finfrastructure',
      'POST /projects/42/cluster_agents',
      'POST /projects/42/repository/files/.gitlab%2Fagents%2Fx%2Fconfig.yaml',
      'POST /api/graphql',
    ]);
    await runHelm(world);
    expect(world.record.helm).toEqual([{ args: helmArgs, stdin: 'replicas: 1\n' }]);
  });

  it('answers access checks and probes as the faults say', async () => {
    const world = fast();
    world.faults.denied = (check, context) => context === 'demo-prod' && check.resource === 'secrets';
    world.faults.probes = { 'demo-staging': { ok: false, kind: 'unauthorized', message: 'Unauthorized', elapsedMs: 5 } };
    const kube = createSimKube(world);
    const prod = await kube.cluster({}, 'demo-prod');
    const staging = await kube.cluster({}, 'demo-staging');
    const secrets = { verb: 'create', group: '', resource: 'secrets', namespace: 'x' };
    const pods = { verb: 'list', group: '', resource: 'pods', namespace: 'x' };
    expect((await prod.canI([secrets, pods])).map((r) => r.allowed)).toEqual([false, true]);
    expect((await staging.canI([secrets])).map((r) => r.allowed)).toEqual([true]);
    expect(await kube.probe({}, 'demo-staging', 3000)).toEqual({ ok: false, kind: 'unauthorized', message: 'Unauthorized', elapsedMs: 5 });
    expect(await kube.probe({}, 'demo-prod', 3000)).toMatchObject({ ok: true });
  });

  it('helmError fails helm upgrade before it creates anything; onHelm holds helm until it is stopped', async () => {
    const failing = fast({ helmError: 'UPGRADE FAILED: boom' });
    expect(await runHelm(failing)).toEqual({ exitCode: 1, stderrTail: expect.arrayContaining(['Error: UPGRADE FAILED: boom']) });
    expect(failing.clusters.get('demo-prod')?.releases).toEqual([]);

    const held: string[][] = [];
    const holding = fast({ onHelm: (run) => (held.push(run.args), new Promise<void>(() => undefined)) });
    const stop = new AbortController();
    const running = runHelm(holding, stop.signal);
    while (held.length === 0) await new Promise((r) => setTimeout(r, 1));
    stop.abort();
    await expect(running).rejects.toBeInstanceOf(CancelledError);
    expect(held).toEqual([helmArgs]);
    expect(holding.clusters.get('demo-prod')?.releases).toEqual([]);
  });

  it('podFailure: pods of a revision deployed under it stay stuck with that reason; CrashLoopBackOff has restarts and logs', async () => {
    const values = mergeValues(CHART_DEFAULTS, {});
    const at = (podFailure?: string): DemoRelease => ({
      name: 'a',
      namespace: 'ns',
      revisions: [{ revision: 1, deployedAt: 0, values, status: 'deployed', chartVersion: '2.32.0', appVersion: 'v18.6.0', podFailure }],
    });
    const iso = (t: number) => new Date(t).toISOString();
    const state = (r: DemoRelease, t: number) =>
      snapshotAt(r, t, iso)
        .pods.map((p) => `${p.phase}/${p.containers[0]?.state}/${p.containers[0]?.reason ?? ''}/${p.containers[0]?.restartCount}`)
        .sort();
    expect(state(at(), 10_000)).toEqual(['Running/running//0', 'Running/running//0']);
    expect(state(at('ImagePullBackOff'), 10_000)).toEqual(['Pending/waiting/ImagePullBackOff/0', 'Pending/waiting/ImagePullBackOff/0']);
    expect(state(at('CreateContainerConfigError'), 10_000)).toEqual([
      'Pending/waiting/CreateContainerConfigError/0',
      'Pending/waiting/CreateContainerConfigError/0',
    ]);
    expect(state(at('CrashLoopBackOff'), 1_400)).toEqual(['Pending/waiting/ContainerCreating/0', 'Running/running//0']);
    const crashing = snapshotAt(at('CrashLoopBackOff'), 10_000, iso);
    expect(state(at('CrashLoopBackOff'), 10_000)).toEqual(['Running/waiting/CrashLoopBackOff/1', 'Running/waiting/CrashLoopBackOff/1']);
    expect(crashing.events.map((e) => e.reason)).toEqual(['BackOff', 'BackOff']);
    expect(diagnoseReadiness(crashing, 5000)).toMatchObject({
      state: 'failed',
      findings: [{ code: 'CRASH_LOOP' }, { code: 'CRASH_LOOP' }],
    });

    // Through the ports: the fault is taken when helm deploys, and the crashed container's log is readable.
    const world = fast({ podFailure: 'CrashLoopBackOff' });
    await runHelm(world);
    world.faults.podFailure = undefined;
    const cluster = await createSimKube(world).cluster({}, 'demo-prod');
    const release = world.clusters.get('demo-prod')!.releases[0]!;
    expect(release.revisions[0]?.podFailure).toBe('CrashLoopBackOff');
    await new Promise((r) => setTimeout(r, 4000 / 50));
    const pod = snapshotAt(release, world.time.now(), iso).pods[0]!;
    expect(pod.containers[0]?.reason).toBe('CrashLoopBackOff');
    expect((await cluster.podLogs({ namespace: 'default', pod: pod.name, previous: true })).at(-1)).toContain('"msg":"Program aborted"');
  });

  it('connects: false keeps GitLab from ever seeing the token used; agentConnections is what GraphQL lists', async () => {
    const world = fast({ connects: false, agentConnections: [{ podName: 'p', version: 'v18.6.0' }] });
    const client = gitlabClient(world);
    // Token 32 is in the Secret of the seeded, Ready staging release: agentk uses it, unless the fault blocks the way.
    const seeded = world.gitlab.tokens.find((t) => t.id === 32)!.lastUsedAt;
    expect((await client.getToken(42, 17, 32))?.lastUsedAt).toBe(seeded);
    expect(await client.agentConnections('demo-group/infrastructure', 'staging')).toEqual([{ podName: 'p', version: 'v18.6.0' }]);
    world.faults.connects = undefined;
    world.faults.agentConnections = undefined;
    expect((await client.getToken(42, 17, 32))?.lastUsedAt).not.toBe(seeded);
    expect(await client.agentConnections('demo-group/infrastructure', 'staging')).toBeUndefined();
  });
});
