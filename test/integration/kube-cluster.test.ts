import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createKubePort, KubeApiError } from '../../src/adapters/kube/index.js';
import { FlowError, UsageError } from '../../src/core/kernel/errors.js';
import type { KubeCluster } from '../../src/core/ports/kube/index.js';
import { Secret } from '../../src/core/kernel/secret.js';
import { FakeKube, startFakeKube, type KubeObject } from '../fake-kube/server.js';
import { TempDir } from '../fake-kube/kubeconfig.js';

const TOKEN = 'cluster-token';
const AGENT_TOKEN = 'glagent-SECRET-VALUE-123';
let api: FakeKube;
let dir: TempDir;
let kubeconfig: string;
let cluster: KubeCluster;
const port = createKubePort({ callTimeoutMs: 1000 });

beforeAll(async () => {
  api = await startFakeKube({ token: TOKEN });
  dir = await TempDir.create();
  kubeconfig = await dir.kubeconfig('config', {
    contexts: [
      { name: 'ok', server: api.url, token: TOKEN, namespace: 'ctx-ns' },
      { name: 'bad-token', server: api.url, token: 'expired' },
      { name: 'slow-plugin', server: api.url, exec: { command: 'sh', args: ['-c', 'sleep 5'] } },
    ],
  });
  cluster = await port.cluster({ kubeconfig }, 'ok');
});

afterAll(async () => {
  await api.close();
  await dir.remove();
});

beforeEach(() => {
  api.forbid = () => false;
  api.reject = () => undefined;
  api.hang = () => false;
  api.requests.length = 0;
});

async function failure(promise: Promise<unknown>): Promise<KubeApiError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(KubeApiError);
  return err as KubeApiError;
}

describe('cluster', () => {
  it('knows its context and reads the server version', async () => {
    expect(cluster.context).toBe('ok');
    expect(await cluster.serverVersion()).toBe('v1.35.0-fake');
  });

  it('an unknown context is a UsageError', async () => {
    await expect(port.cluster({ kubeconfig }, 'nope')).rejects.toBeInstanceOf(UsageError);
  });

  it('canI asks one SelfSubjectAccessReview per check', async () => {
    api.access = (attrs) =>
      attrs.resource === 'clusterrolebindings'
        ? { allowed: false, reason: 'no RBAC policy matched' }
        : { allowed: attrs.namespace === 'gitlab-agent' };
    const results = await cluster.canI([
      { verb: 'create', group: '', resource: 'secrets', namespace: 'gitlab-agent' },
      { verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings' },
      { verb: 'create', group: 'apps', resource: 'deployments', namespace: 'elsewhere' },
    ]);
    expect(results).toEqual([
      { verb: 'create', group: '', resource: 'secrets', namespace: 'gitlab-agent', allowed: true },
      {
        verb: 'create',
        group: 'rbac.authorization.k8s.io',
        resource: 'clusterrolebindings',
        allowed: false,
        reason: 'no RBAC policy matched',
      },
      { verb: 'create', group: 'apps', resource: 'deployments', namespace: 'elsewhere', allowed: false },
    ]);
    const reviews = api.requestsTo('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews');
    expect(reviews).toHaveLength(3);
    expect(JSON.parse(reviews[1]!.body)).toMatchObject({
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings' } },
    });
  });

  it('creates, finds and deletes namespaces idempotently', async () => {
    expect(await cluster.namespaceExists('team-x')).toBe(false);
    await cluster.createNamespace('team-x');
    expect(await cluster.namespaceExists('team-x')).toBe(true);
    await cluster.createNamespace('team-x'); // 409 AlreadyExists is fine
    await cluster.deleteNamespace('team-x');
    expect(await cluster.namespaceExists('team-x')).toBe(false);
    await cluster.deleteNamespace('team-x'); // 404 is fine
  });

  it('namespaceInfo: our label, the phase and the Secret names (never a value); undefined when missing', async () => {
    expect(await cluster.namespaceInfo('nowhere')).toBeUndefined();
    await cluster.createNamespace('ours');
    api.upsert('secrets', { metadata: { name: 'db', namespace: 'ours' }, data: { password: 'cGFzcy1mYWtl' } });
    expect(await cluster.namespaceInfo('ours')).toEqual({ name: 'ours', managedByUs: true, terminating: false, secretNames: ['db'] });
    api.upsert('namespaces', { metadata: { name: 'theirs' }, status: { phase: 'Terminating' } });
    expect(await cluster.namespaceInfo('theirs')).toEqual({ name: 'theirs', managedByUs: false, terminating: true, secretNames: [] });
  });

  it('turns a 403 into one readable line with a hint (no HTTP dump)', async () => {
    api.forbid = (a) => a.resource === 'namespaces';
    const err = await failure(cluster.namespaceExists('locked'));
    expect(err).toBeInstanceOf(FlowError);
    expect(err.status).toBe(403);
    expect(err.kind).toBe('unauthorized');
    expect(err.message).toBe(
      'read namespace locked: namespaces "locked" is forbidden: User "tester" cannot get resource "namespaces" in API group "" at the cluster scope',
    );
    expect(err.hint).toBe('ask a cluster admin for this permission, or choose another context');
    expect(err.message).not.toMatch(/HTTP-Code|Headers|Body:/);
  });

  it('expired credentials → 401 with a log-in-again hint', async () => {
    const bad = await port.cluster({ kubeconfig }, 'bad-token');
    const err = await failure(bad.namespaceExists('x'));
    expect(err.message).toBe('read namespace x: the API server rejected the credentials (401 Unauthorized)');
    expect(err.hint).toMatch(/log in again/);
  });

  it('a credential plugin that hangs past the call deadline is named as the culprit', async () => {
    const slow = await createKubePort({ callTimeoutMs: 500, execTimeoutMs: 1000 }).cluster({ kubeconfig }, 'slow-plugin');
    const err = await failure(slow.namespaceExists('x'));
    expect(err.kind).toBe('timeout');
    expect(err.message).toBe('read namespace x: exec plugin "sh" did not finish within 0.5s');
    expect(err.hint).toMatch(/credential plugin/);
  });

  it('every call has a deadline', async () => {
    api.hang = (p) => p === '/api/v1/namespaces/slow';
    const started = Date.now();
    const err = await failure(cluster.namespaceExists('slow'));
    expect(Date.now() - started).toBeLessThan(1000 + 500);
    expect(err.kind).toBe('timeout');
    expect(err.message).toBe(`read namespace slow: no answer from ${api.url} within 1s`);
  });
});

describe('token Secret', () => {
  const spec = (token: string, tokenId: number) => ({
    namespace: 'gitlab-agent',
    name: 'agent-token',
    token: new Secret(token),
    tokenId,
    agentName: 'prod-agent',
    agentId: 42,
  });

  it('creates an Opaque Secret with key token, our labels and annotations; the value only in the body', async () => {
    await cluster.writeTokenSecret(spec(AGENT_TOKEN, 7));
    const stored = api.get('secrets', 'gitlab-agent', 'agent-token') as KubeObject & { data: Record<string, string>; type: string };
    expect(stored.type).toBe('Opaque');
    expect(Buffer.from(stored.data.token!, 'base64').toString()).toBe(AGENT_TOKEN);
    expect(Object.keys(stored.data)).toEqual(['token']);
    expect(stored.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'gitlab-agent-tui', 'gitlab-agent-tui/agent': 'prod-agent' });
    expect(stored.metadata.annotations).toEqual({ 'gitlab.com/agent-token-id': '7', 'gitlab-agent-tui/agent-id': '42' });

    const encoded = Buffer.from(AGENT_TOKEN).toString('base64');
    for (const r of api.requests) {
      const outside = `${r.path}?${r.query.toString()} ${JSON.stringify(r.headers)}`;
      expect(outside).not.toContain(AGENT_TOKEN);
      expect(outside).not.toContain(encoded);
    }
    expect(api.requests.filter((r) => r.body.includes(encoded)).map((r) => r.method)).toEqual(['POST']);
  });

  it('getTokenSecret returns metadata only', async () => {
    const info = await cluster.getTokenSecret('gitlab-agent', 'agent-token');
    expect(info).toEqual({
      namespace: 'gitlab-agent',
      name: 'agent-token',
      tokenId: 7,
      agentId: 42,
      agentName: 'prod-agent',
      managedByUs: true,
      hasTokenKey: true,
    });
    expect(JSON.stringify(info)).not.toContain(Buffer.from(AGENT_TOKEN).toString('base64'));
    expect(await cluster.getTokenSecret('gitlab-agent', 'missing')).toBeUndefined();
  });

  it('replaces (PUT) an existing Secret, keeping foreign labels and dropping other data keys', async () => {
    const existing = api.get('secrets', 'gitlab-agent', 'agent-token')!;
    api.upsert('secrets', {
      ...existing,
      metadata: { ...existing.metadata, labels: { ...existing.metadata.labels, team: 'platform' } },
      data: { token: 'b2xk', extra: 'eA==' },
    });
    await cluster.writeTokenSecret(spec('glagent-NEW', 8));
    expect(api.requests.map((r) => r.method)).toEqual(['POST', 'GET', 'PUT']);
    const stored = api.get('secrets', 'gitlab-agent', 'agent-token') as KubeObject & { data: Record<string, string> };
    expect(stored.data).toEqual({ token: Buffer.from('glagent-NEW').toString('base64') });
    expect(stored.metadata.labels).toMatchObject({ team: 'platform', 'app.kubernetes.io/managed-by': 'gitlab-agent-tui' });
    expect(stored.metadata.annotations?.['gitlab.com/agent-token-id']).toBe('8');
  });

  it('refuses to turn a non-Opaque Secret into a token Secret', async () => {
    api.upsert('secrets', { metadata: { name: 'sa-token', namespace: 'gitlab-agent' }, type: 'kubernetes.io/service-account-token' });
    const err = await failure(cluster.writeTokenSecret({ ...spec('x', 1), name: 'sa-token' }));
    expect(err.message).toBe(
      "replace Secret gitlab-agent/sa-token: it exists with type kubernetes.io/service-account-token, and a Secret's type cannot change",
    );
  });

  it('never lets the token into an error message, even when the server echoes it', async () => {
    api.reject = (a, body) =>
      a.verb === 'create' && a.resource === 'secrets'
        ? { code: 422, reason: 'Invalid', message: `Secret is invalid: data[token]: Invalid value: ${JSON.parse(body).data.token}` }
        : undefined;
    const err = await failure(cluster.writeTokenSecret({ ...spec(AGENT_TOKEN, 9), name: 'echo' }));
    expect(err.message).toBe('create Secret gitlab-agent/echo: Secret is invalid: data[token]: Invalid value: ********');
    expect(err.status).toBe(422);
  });

  it('reports Secrets that are not ours', async () => {
    api.upsert('secrets', {
      metadata: { name: 'foreign', namespace: 'gitlab-agent', annotations: { 'gitlab.com/agent-token-id': 'abc' } },
      data: { other: 'eA==' },
    });
    expect(await cluster.getTokenSecret('gitlab-agent', 'foreign')).toEqual({
      namespace: 'gitlab-agent',
      name: 'foreign',
      managedByUs: false,
      hasTokenKey: false,
    });
  });

  it('records where the agent is registered, and reads it back; the token value only through readTokenValue', async () => {
    await cluster.writeTokenSecret({
      ...spec(AGENT_TOKEN, 7),
      registration: { gitlabUrl: 'https://gitlab.example.com', projectId: 5, projectPath: 'group/infra' },
    });
    const stored = api.get('secrets', 'gitlab-agent', 'agent-token') as KubeObject;
    expect(stored.metadata.annotations).toMatchObject({
      'gitlab-agent-tui/gitlab-url': 'https://gitlab.example.com',
      'gitlab-agent-tui/project-id': '5',
      'gitlab-agent-tui/project': 'group/infra',
    });
    const info = await cluster.getTokenSecret('gitlab-agent', 'agent-token');
    expect(info).toMatchObject({
      tokenId: 7,
      agentId: 42,
      agentName: 'prod-agent',
      registration: { gitlabUrl: 'https://gitlab.example.com', projectId: 5, projectPath: 'group/infra' },
    });
    expect(JSON.stringify(info)).not.toContain(AGENT_TOKEN);
    const value = await cluster.readTokenValue('gitlab-agent', 'agent-token');
    expect(value?.reveal()).toBe(AGENT_TOKEN);
    expect(String(value)).toBe('********');
    expect(await cluster.readTokenValue('gitlab-agent', 'absent')).toBeUndefined();
  });

  it('deletes idempotently', async () => {
    await cluster.deleteSecret('gitlab-agent', 'agent-token');
    expect(api.get('secrets', 'gitlab-agent', 'agent-token')).toBeUndefined();
    await cluster.deleteSecret('gitlab-agent', 'agent-token');
  });
});

describe('findAgentDeployments', () => {
  const agent = (namespace: string, name: string, release: string): KubeObject => ({
    metadata: {
      name,
      namespace,
      labels: { 'app.kubernetes.io/name': 'gitlab-agent', 'app.kubernetes.io/instance': release, 'helm.sh/chart': 'gitlab-agent-2.32.0' },
    },
    spec: { replicas: 2 },
  });

  beforeAll(() => {
    for (const ns of ['gitlab-agent', 'ctx-ns', 'team-b', 'team-c', 'locked']) api.upsert('namespaces', { metadata: { name: ns } });
    api.upsert('deployments', agent('gitlab-agent', 'prod-gitlab-agent-v2', 'prod'));
    api.upsert('deployments', agent('team-b', 'b-gitlab-agent-v2', 'b'));
    api.upsert('deployments', agent('locked', 'hidden-gitlab-agent-v2', 'hidden'));
    api.upsert('deployments', { metadata: { name: 'web', namespace: 'team-b', labels: { app: 'web' } } });
    // Another chart's release beside it: labelled by helm too, but not an agent.
    api.upsert('deployments', {
      metadata: { name: 'db', namespace: 'team-b', labels: { 'app.kubernetes.io/instance': 'db', 'helm.sh/chart': 'postgresql-16.0.0' } },
      spec: { template: { spec: { containers: [{ name: 'postgresql', image: 'postgres:17' }] } } },
    });
    // nameOverride changed the chart's name label; the agent container still says what it is.
    api.upsert('deployments', {
      metadata: {
        name: 'c-agentk-v2',
        namespace: 'team-c',
        labels: { 'app.kubernetes.io/name': 'agentk', 'app.kubernetes.io/instance': 'c' },
      },
      spec: {
        replicas: 1,
        template: {
          spec: {
            containers: [{ name: 'gitlab-agent', image: 'registry.gitlab.com/gitlab-org/cluster-integration/gitlab-agent/agentk:v18.6.0' }],
          },
        },
      },
    });
  });

  const names = (list: { namespace: string; name: string }[]) => list.map((d) => `${d.namespace}/${d.name}`).sort();

  it('lists the release-labelled Deployments that are agents (chart label or agent container), in one namespace or in all', async () => {
    expect(await cluster.findAgentDeployments('team-b')).toEqual([
      expect.objectContaining({ namespace: 'team-b', name: 'b-gitlab-agent-v2', release: 'b', desired: 2, ready: 0 }),
    ]);
    expect(names(await cluster.findAgentDeployments())).toEqual([
      'gitlab-agent/prod-gitlab-agent-v2',
      'locked/hidden-gitlab-agent-v2',
      'team-b/b-gitlab-agent-v2',
      'team-c/c-agentk-v2',
    ]);
    expect(api.requestsTo('/apis/apps/v1/deployments')[0]?.query.get('labelSelector')).toBe('app.kubernetes.io/instance');
  });

  it('cluster-wide list forbidden → looks namespace by namespace, skipping forbidden ones', async () => {
    api.forbid = (a) => (a.resource === 'deployments' && a.namespace === undefined) || a.namespace === 'locked';
    expect(names(await cluster.findAgentDeployments())).toEqual([
      'gitlab-agent/prod-gitlab-agent-v2',
      'team-b/b-gitlab-agent-v2',
      'team-c/c-agentk-v2',
    ]);
  });

  it('namespaces cannot be listed either → the context namespace and gitlab-agent only', async () => {
    api.forbid = (a) => a.namespace === undefined && (a.resource === 'deployments' || a.resource === 'namespaces');
    expect(names(await cluster.findAgentDeployments())).toEqual(['gitlab-agent/prod-gitlab-agent-v2']);
    expect(
      api
        .requestsTo('/apis/apps/v1/namespaces/')
        .map((r) => r.path)
        .sort(),
    ).toEqual(['/apis/apps/v1/namespaces/ctx-ns/deployments', '/apis/apps/v1/namespaces/gitlab-agent/deployments']);
  });
});

describe('podLogs', () => {
  beforeAll(() => {
    api.logs.set('gitlab-agent/agent-1', { current: 'one\ntwo\r\nthree\n', previous: 'boom\nexit 1\n' });
    api.logs.set('gitlab-agent/fresh', { current: 'hello\n' });
  });

  it('returns lines, honouring tailLines and previous', async () => {
    expect(await cluster.podLogs({ namespace: 'gitlab-agent', pod: 'agent-1' })).toEqual(['one', 'two', 'three']);
    expect(await cluster.podLogs({ namespace: 'gitlab-agent', pod: 'agent-1', tailLines: 2 })).toEqual(['two', 'three']);
    expect(await cluster.podLogs({ namespace: 'gitlab-agent', pod: 'agent-1', previous: true })).toEqual(['boom', 'exit 1']);
    const req = api.requestsTo('/api/v1/namespaces/gitlab-agent/pods/agent-1/log').at(-1)!;
    expect(req.query.get('previous')).toBe('true');
  });

  it('no previous container → no lines, not an error', async () => {
    expect(await cluster.podLogs({ namespace: 'gitlab-agent', pod: 'fresh', previous: true })).toEqual([]);
  });

  it('a missing pod is an error', async () => {
    const err = await failure(cluster.podLogs({ namespace: 'gitlab-agent', pod: 'ghost' }));
    expect(err.message).toBe('read logs of pod gitlab-agent/ghost: pods "ghost" not found');
    expect(err.status).toBe(404);
  });
});

describe('API discovery', () => {
  it('servedVersions: preferred first, [] for a group not served; concurrent calls share one GET /apis', async () => {
    const [helm, source, apps] = await Promise.all([
      cluster.servedVersions('helm.toolkit.fluxcd.io'),
      cluster.servedVersions('source.toolkit.fluxcd.io'),
      cluster.servedVersions('apps'),
    ]);
    expect(helm).toEqual(['v2', 'v2beta2']);
    expect(source).toEqual([]);
    expect(apps).toEqual(['v1']);
    expect(api.requestsTo('/apis', (r) => r.path === '/apis')).toHaveLength(1);
    // Not cached beyond the requests in flight: a later call asks again.
    await cluster.servedVersions('apps');
    expect(api.requestsTo('/apis', (r) => r.path === '/apis')).toHaveLength(2);
  });
});
