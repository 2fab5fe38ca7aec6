/**
 * In-memory ports for flow tests: every call is recorded so tests can assert what would have
 * reached GitLab, the cluster and helm. Deliberately small; the real adapters have their own tests.
 */
import { CancelledError } from '../../src/core/kernel/errors.js';
import type { Ports } from '../../src/core/ports/index.js';
import type { Clock } from '../../src/core/ports/clock.js';
import { GitLabApiError, type GitLabAgent, type GitLabAgentToken, type GitLabClient, type GitLabProject } from '../../src/core/ports/gitlab.js';
import type { HelmPort, HelmRun } from '../../src/core/ports/helm.js';
import type { AccessCheck, KubeCluster, KubeContextInfo, ProbeResult, TokenSecretInfo, TokenSecretSpec } from '../../src/core/ports/kube/index.js';
import type { ReadinessSnapshot } from '../../src/core/readiness/snapshot.js';
import { Secret } from '../../src/core/kernel/secret.js';
import { createObjectStore } from '../../src/demo/object-store.js';

export interface World {
  contexts: KubeContextInfo[];
  probes: Record<string, ProbeResult>;
  denied: (c: AccessCheck) => boolean;
  namespaces: Set<string>;
  /** Namespaces labelled as created by this tool. */
  ourNamespaces?: Set<string>;
  secrets: Map<string, TokenSecretSpec>;
  releases: { name: string; namespace: string; chart: string }[];
  helmRuns: { args: string[]; stdin?: string }[];
  helmExit: number;
  /** Called when helm runs; lets a test abort mid-helm. */
  onHelm?: () => void;
  scopes: string[];
  projects: GitLabProject[];
  agents: (GitLabAgent & { projectId: number })[];
  tokens: (GitLabAgentToken & { agentId: number; value: string })[];
  gitlabCalls: string[];
  files: Map<string, string>;
  /** Pods never become Ready and show this container reason. */
  podFailure?: string;
  connects: boolean;
  /** What GraphQL reports; undefined = GitLab cannot tell. */
  connections?: { connectedAt?: string; podName?: string; version?: string }[];
}

export function newWorld(): World {
  return {
    contexts: [
      { name: 'dev', cluster: 'dev', server: 'https://dev.example:6443', user: 'dev', current: true },
      { name: 'prod', cluster: 'prod', server: 'https://prod.example:6443', user: 'prod', current: false },
    ],
    probes: {},
    denied: () => false,
    namespaces: new Set(['default']),
    secrets: new Map(),
    releases: [],
    helmRuns: [],
    helmExit: 0,
    scopes: ['api'],
    projects: [{ id: 7, pathWithNamespace: 'group/infra', name: 'infra', webUrl: 'https://gitlab.example.com/group/infra', defaultBranch: 'main', accessLevel: 40 }],
    agents: [],
    tokens: [],
    gitlabCalls: [],
    files: new Map(),
    connects: true,
  };
}

const instantClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal.aborted) return reject(new CancelledError());
      const t = setTimeout(resolve, Math.min(ms, 5));
      signal.addEventListener('abort', () => {
        clearTimeout(t);
        reject(new CancelledError());
      }, { once: true });
    }),
};

function snapshot(w: World, namespace: string, release: string): ReadinessSnapshot {
  const installed = w.releases.some((r) => r.name === release && r.namespace === namespace);
  if (!installed) return { pods: [], events: [] };
  const ready = !w.podFailure;
  const pods = ['a', 'b'].map((n) => ({
    name: `${release}-${n}`,
    phase: ready ? 'Running' : 'Pending',
    ready,
    deleting: false,
    conditions: [],
    containers: [{ name: 'agent', image: 'agentk', ready, restartCount: 0, state: ready ? ('running' as const) : ('waiting' as const), reason: w.podFailure }],
  }));
  return { deployment: { name: `${release}-gitlab-agent-v2`, desired: 2, ready: ready ? 2 : 0, available: ready ? 2 : 0, updated: 2 }, pods, events: [] };
}

function secretInfo(namespace: string, name: string, s: TokenSecretSpec): TokenSecretInfo {
  return {
    namespace,
    name,
    tokenId: s.tokenId,
    managedByUs: s.agentName !== '<user>',
    hasTokenKey: true,
    ...(s.agentName !== '<user>' ? { agentId: s.agentId, agentName: s.agentName } : {}),
    ...(s.registration ? { registration: s.registration } : {}),
  };
}

function cluster(w: World, context: string): KubeCluster {
  return {
    ...createObjectStore(),
    context,
    serverVersion: async () => 'v1.35.7',
    canI: async (checks) => checks.map((c) => ({ ...c, allowed: !w.denied(c) })),
    namespaceExists: async (n) => w.namespaces.has(n),
    namespaceInfo: async (n) =>
      w.namespaces.has(n)
        ? {
            name: n,
            managedByUs: w.ourNamespaces?.has(n) ?? false,
            terminating: false,
            secretNames: [...w.secrets.keys()].filter((k) => k.startsWith(`${n}/`)).map((k) => k.split('/')[1]!),
          }
        : undefined,
    createNamespace: async (n) => {
      w.namespaces.add(n);
      (w.ourNamespaces ??= new Set()).add(n);
    },
    deleteNamespace: async (n) => void w.namespaces.delete(n),
    findAgentDeployments: async (ns) => w.releases.filter((r) => !ns || r.namespace === ns).map((r) => ({ namespace: r.namespace, name: `${r.name}-gitlab-agent-v2`, release: r.name })),
    getTokenSecret: async (ns, name) => {
      const s = w.secrets.get(`${ns}/${name}`);
      return s && secretInfo(ns, name, s);
    },
    listTokenSecrets: async (ns) =>
      [...w.secrets.entries()]
        .filter(([key]) => !ns || key.startsWith(`${ns}/`))
        .map(([key, s]) => secretInfo(key.split('/')[0]!, key.split('/')[1]!, s)),
    writeTokenSecret: async (spec) => void w.secrets.set(`${spec.namespace}/${spec.name}`, spec),
    readTokenValue: async (ns, name) => w.secrets.get(`${ns}/${name}`)?.token,
    deleteSecret: async (ns, name) => void w.secrets.delete(`${ns}/${name}`),
    watchReadiness: async (ns, selector, onSnapshot, signal) => {
      const release = selector.split('instance=')[1]!;
      while (!signal.aborted) {
        onSnapshot(snapshot(w, ns, release));
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    podLogs: async () => ['{"level":"error","msg":"boom"}'],
  };
}

function gitlab(w: World): GitLabClient {
  const call = (s: string) => w.gitlabCalls.push(s);
  const token = (t: World['tokens'][number]): GitLabAgentToken => ({ id: t.id, name: t.name, status: t.status, createdAt: t.createdAt, lastUsedAt: t.lastUsedAt });
  return {
    url: 'https://gitlab.example.com',
    currentUser: async () => (call('GET /user'), { id: 1, username: 'root', name: 'Root' }),
    tokenScopes: async () => (call('GET /personal_access_tokens/self'), w.scopes),
    metadata: async () => (call('GET /metadata'), { version: '18.6.1-ee', kas: { enabled: true, externalUrl: 'wss://gitlab.example.com/-/kubernetes-agent/', version: '18.6.1' } }),
    project: async (p) => {
      call(`GET /projects/${p}`);
      const found = w.projects.find((x) => x.pathWithNamespace === p || String(x.id) === p);
      if (!found) throw new GitLabApiError(404, '404 Project Not Found');
      return found;
    },
    searchProjects: async (term) => w.projects.filter((p) => p.pathWithNamespace.includes(term)),
    listAgents: async (pid) => (call(`GET /projects/${pid}/cluster_agents`), w.agents.filter((a) => a.projectId === pid)),
    registerAgent: async (pid, name) => {
      call(`POST /projects/${pid}/cluster_agents`);
      const a = { id: 100 + w.agents.length, name, projectId: pid };
      w.agents.push(a);
      return a;
    },
    deleteAgent: async (pid, id) => void call(`DELETE /projects/${pid}/cluster_agents/${id}`),
    listTokens: async (_pid, aid) => w.tokens.filter((t) => t.agentId === aid && t.status === 'active').map((t) => ({ ...token(t), lastUsedAt: undefined })),
    getToken: async (_pid, aid, id) => {
      const t = w.tokens.find((x) => x.id === id && x.agentId === aid && x.status === 'active');
      if (t && w.connects && w.releases.length > 0) t.lastUsedAt = new Date().toISOString();
      return t && token(t);
    },
    createToken: async (pid, aid, name) => {
      call(`POST /projects/${pid}/cluster_agents/${aid}/tokens`);
      const t = { id: 500 + w.tokens.length, name, status: 'active' as const, agentId: aid, value: `glagent-test-${w.tokens.length}-fake` };
      w.tokens.push(t);
      return { token: token(t), value: new Secret(t.value) };
    },
    revokeToken: async (pid, aid, id) => {
      call(`DELETE /projects/${pid}/cluster_agents/${aid}/tokens/${id}`);
      const t = w.tokens.find((x) => x.id === id);
      if (t) t.status = 'revoked';
    },
    agentConnections: async () => (w.connections ? w.connections : undefined),
    getFile: async (_pid, path) => w.files.get(path),
    commitFile: async (pid, change) => {
      call(`POST /projects/${pid}/repository/files/${change.path}`);
      w.files.set(change.path, change.content);
    },
    commitFiles: async (pid, commit) => {
      call(`POST /projects/${pid}/repository/commits`);
      for (const step of commit.actions) {
        if (step.action === 'delete') w.files.delete(step.path);
        else w.files.set(step.path, step.content);
      }
      return { id: 'fake-commit-sha' };
    },
    getAgent: async (pid, id) => {
      const a = w.agents.find((x) => x.id === id && x.projectId === pid);
      return a && { id: a.id, name: a.name };
    },
    createUrlConfiguration: async () => Promise.reject(new GitLabApiError(404, '404 Not Found')),
    getUrlConfiguration: async () => Promise.reject(new GitLabApiError(404, '404 Not Found')),
    deleteUrlConfiguration: async () => Promise.reject(new GitLabApiError(404, '404 Not Found')),
  };
}

function helm(w: World): HelmPort {
  return {
    version: async () => ({ version: 'v3.21.4', major: 3 }),
    listReleases: async (_t, ns) => w.releases.filter((r) => !ns || r.namespace === ns).map((r) => ({ ...r, revision: 1, status: 'deployed', appVersion: 'v18.6.0' })),
    getValues: async () => ({}),
    getManifest: async () => '',
    history: async () => [],
    capture: async () => ({ exitCode: 0, stdout: '', stderrTail: [], truncated: false }),
    run: async (run: HelmRun) => {
      w.helmRuns.push({ args: run.args, stdin: run.stdin });
      w.onHelm?.();
      if (run.signal.aborted) throw new CancelledError();
      for (let i = 0; i < 3; i++) run.onLine(`helm line ${i}`, 'stdout');
      if (w.helmExit !== 0) return { exitCode: w.helmExit, stderrTail: ['Error: UPGRADE FAILED: boom'] };
      const [, , name, , , namespace] = run.args;
      if (!w.releases.some((r) => r.name === name)) w.releases.push({ name: name!, namespace: namespace!, chart: 'gitlab-agent-2.32.0' });
      return { exitCode: 0, stderrTail: [] };
    },
  };
}

export function memoryDeps(w: World, env: Record<string, string> = { GITLAB_TOKEN: 'glpat-fake-test-token' }): Ports {
  return {
    kube: {
      listContexts: async () => w.contexts,
      probe: async (_s, name) => w.probes[name] ?? { ok: true, serverVersion: 'v1.35.7', elapsedMs: 1 },
      cluster: async (_s, name) => cluster(w, name),
    },
    gitlab: { connect: () => gitlab(w) },
    helm: helm(w),
    files: {
      readText: async (p) => {
        const { readFile } = await import('node:fs/promises');
        return readFile(p, 'utf8');
      },
      exists: async (p) => {
        const { access } = await import('node:fs/promises');
        return access(p).then(() => true, () => false);
      },
      writeText: async () => undefined,
      openLog: async (path) => ({ write: (line) => void w.files.set(path, `${w.files.get(path) ?? ''}${line}\n`), close: async () => undefined }),
    },
    glab: async () => ({ tokenFor: () => undefined }),
    env,
    clock: instantClock,
    connectPollMs: 1,
  };
}
