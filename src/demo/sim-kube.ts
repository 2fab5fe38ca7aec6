import { FlowError, UsageError } from '../core/kernel/errors.js';
import type {
  AccessResult,
  KubeCluster,
  KubeConfigSource,
  KubeObject,
  KubePort,
  PodLogRequest,
  ProbeResult,
  TokenSecretInfo,
} from '../core/ports/kube/index.js';
import type { ReadinessSnapshot } from '../core/readiness/snapshot.js';
import { isConnected } from './connection.js';
import { createObjectStore } from './object-store.js';
import { deploymentName, nextChangeAfter, podAt, snapshotAt } from './pod-timeline.js';
import { agentImage, CHART_DEFAULTS, DEMO_CHART, mergeValues, stringAt } from './release-values.js';
import { releaseInfo } from './release-list.js';
import { randomBetween } from './time.js';
import { releaseSnapshot, workloadObjects } from './workload-objects.js';
import { currentRevision, findRelease, type DemoCluster, type DemoNamespace, type DemoWorld } from './world.js';

/** An unreachable API server refuses connections after this long (a SYN that gets a RST through a VPN). */
const UNREACHABLE_AFTER_MS = 1500;

function instanceOf(labelSelector: string): string | undefined {
  return /(?:^|,)app\.kubernetes\.io\/instance=([^,]+)/.exec(labelSelector)?.[1];
}

type AgentLogEnd = 'connected' | 'unreachable' | 'crashed';

function agentLogLines(iso: (at?: number) => string, end: AgentLogEnd): string[] {
  const line = (level: string, msg: string, extra = '') => `{"level":"${level}","time":"${iso()}","msg":"${msg}"${extra}}`;
  const lines = [
    line('info', 'Observability endpoint is up', ',"mod_name":"observability","net_network":"tcp","net_address":"[::]:8080"'),
    line('info', 'Private API endpoint is up', ',"mod_name":"agent2agent","net_network":"tcp","net_address":"[::]:8081"'),
    line('info', 'Using leader election', ',"mod_name":"leader_election","lease_name":"agent-lock"'),
  ];
  if (end === 'connected') lines.push(line('info', 'Feature status change', ',"feature_name":"tunnel","feature_status":true'));
  else if (end === 'crashed')
    lines.push(line('error', 'Program aborted', ',"error":"agentk exited with code 1 (simulated crash: DemoFaults.podFailure)"'));
  else
    lines.push(
      line(
        'error',
        'Error handling a connection',
        ',"mod_name":"reverse_tunnel","error":"Connect(): rpc error: code = Unavailable desc = connection error"',
      ),
    );
  return lines;
}

function secretInfo(
  namespace: string,
  name: string,
  s: DemoNamespace['secrets'] extends Map<string, infer S> ? S : never,
): TokenSecretInfo {
  return {
    namespace,
    name,
    tokenId: s.tokenId,
    managedByUs: s.managedByUs,
    hasTokenKey: true,
    ...(s.agentId !== undefined ? { agentId: s.agentId } : {}),
    ...(s.agentName ? { agentName: s.agentName } : {}),
    ...(s.registration ? { registration: s.registration } : {}),
  };
}

/** One simulated cluster; every call takes an API round trip, an unreachable one fails like the real adapter. */
function simCluster(world: DemoWorld, c: DemoCluster): KubeCluster {
  const { time } = world;
  const call = async <T>(action: string, fn: () => T | Promise<T>): Promise<T> => {
    if (c.unreachable) {
      await time.sleep(UNREACHABLE_AFTER_MS);
      throw new FlowError(
        'kubernetes',
        `${action}: ${c.unreachable}`,
        'check the network or VPN to the cluster, and that the cluster is running',
      );
    }
    await time.jitter(40, 160);
    return fn();
  };
  const namespace = (name: string, action: string) => {
    const ns = c.namespaces.get(name);
    if (!ns) throw new FlowError('kubernetes', `${action}: namespaces "${name}" not found`);
    return ns;
  };

  const objects = (c.objects ??= createObjectStore(c.servedGroups ?? {}, () => world.changed()));
  return {
    context: c.info.name,
    servedVersions: (group) => call(`discover API group ${group}`, () => objects.servedVersions(group)),
    // Stored objects first (applied manifests, Flux's); the releases' Deployments, pods and events come from the pod timeline.
    getObject: (ref) =>
      call(
        `read ${ref.kind} ${ref.name}`,
        async () => (await objects.getObject(ref)) ?? workloadObjects(c, time, ref)?.find((o) => o.metadata.name === ref.name),
      ),
    listObjects: (q) =>
      call(`list ${q.kind}`, async () => {
        const stored = await objects.listObjects(q);
        const derived = (workloadObjects(c, time, q) ?? []).filter(
          (o) => !stored.some((s) => s.metadata.name === o.metadata.name && s.metadata.namespace === o.metadata.namespace),
        );
        return [...stored, ...derived];
      }),
    applyObject: (object, options) =>
      call(`apply ${object.kind} ${object.metadata.name}`, async () => {
        const stored = await objects.applyObject(object, options);
        if (!options.dryRun) runManifests(world, c, stored);
        return stored;
      }),
    patchObject: (ref, patch) =>
      call(`patch ${ref.kind} ${ref.name}`, () => {
        // A release's Deployment lives in the pod timeline, not the object store: a restart annotation is
        // accepted (the simulated pods do not roll for it; helm upgrades and rollbacks do).
        const release =
          ref.kind === 'Deployment'
            ? c.releases.find((r) => r.namespace === ref.namespace && deploymentName(r.name) === ref.name)
            : undefined;
        if (release)
          return {
            apiVersion: ref.apiVersion,
            kind: ref.kind,
            metadata: { name: ref.name, namespace: ref.namespace, generation: currentRevision(release).revision + 1 },
          };
        return objects.patchObject(ref, patch);
      }),
    deleteObject: (ref) => call(`delete ${ref.kind} ${ref.name}`, () => objects.deleteObject(ref)),
    watchObjects: async (q, onObjects, signal) => {
      await call(`watch ${q.kind} in ${q.namespace}`, () => undefined);
      return objects.watchObjects(q, onObjects, signal);
    },
    serverVersion: () => call('get server version', () => c.serverVersion),
    canI: (checks) =>
      call('check access', () => checks.map((check): AccessResult => ({ ...check, allowed: !world.faults.denied?.(check, c.info.name) }))),
    namespaceExists: (name) => call(`get namespace ${name}`, () => c.namespaces.has(name)),
    namespaceInfo: (name) =>
      call(`get namespace ${name}`, () => {
        const ns = c.namespaces.get(name);
        return ns && { name, managedByUs: ns.managedByUs === true, terminating: false, secretNames: [...ns.secrets.keys()] };
      }),
    createNamespace: (name) =>
      call(`create namespace ${name}`, () => {
        if (c.namespaces.has(name)) throw new FlowError('kubernetes', `create namespace ${name}: namespaces "${name}" already exists`);
        c.namespaces.set(name, { secrets: new Map(), managedByUs: true });
        world.changed();
      }),
    deleteNamespace: (name) =>
      call(`delete namespace ${name}`, () => {
        c.namespaces.delete(name);
        c.releases = c.releases.filter((r) => r.namespace !== name);
        world.changed();
      }),
    findAgentDeployments: (ns) =>
      call('list agent deployments', () =>
        c.releases
          .filter((r) => ns === undefined || r.namespace === ns)
          .map((r) => {
            const d = releaseSnapshot(c, r, time).deployment;
            const labels = { 'app.kubernetes.io/name': 'gitlab-agent', 'app.kubernetes.io/instance': r.name };
            return {
              namespace: r.namespace,
              name: deploymentName(r.name),
              release: r.name,
              image: agentImage(currentRevision(r).values).image,
              selector: Object.entries(labels)
                .map(([k, v]) => `${k}=${v}`)
                .join(','),
              desired: d?.desired ?? 0,
              ready: d?.ready ?? 0,
              labels,
            };
          }),
      ),
    getTokenSecret: (ns, name) =>
      call(`get Secret ${ns}/${name}`, () => {
        const s = c.namespaces.get(ns)?.secrets.get(name);
        return s && secretInfo(ns, name, s);
      }),
    // The simulated helm keeps its releases itself: the list a real cluster's release Secrets give is what it
    // lists; their payloads (values, manifest, history) are read through it, as for a non-Secret storage driver.
    helmReleaseList: (ns) => call(`list helm's release Secrets of ${ns}`, () => releaseInfo(c, ns)),
    helmReleaseRecords: async () => [],
    listTokenSecrets: (ns) =>
      call('list token Secrets', () =>
        [...c.namespaces.entries()]
          .filter(([name]) => ns === undefined || name === ns)
          .flatMap(([namespace, n]) =>
            [...n.secrets.entries()].filter(([, s]) => s.managedByUs).map(([name, s]) => secretInfo(namespace, name, s)),
          ),
      ),
    writeTokenSecret: (spec) =>
      call(`create Secret ${spec.namespace}/${spec.name}`, () => {
        // The Secret object itself is stored, never its revealed value.
        namespace(spec.namespace, `create Secret ${spec.namespace}/${spec.name}`).secrets.set(spec.name, {
          token: spec.token,
          tokenId: spec.tokenId,
          managedByUs: true,
          agentId: spec.agentId,
          agentName: spec.agentName,
          ...(spec.registration ? { registration: spec.registration } : {}),
        });
        world.changed();
      }),
    readTokenValue: (ns, name) => call(`get Secret ${ns}/${name}`, () => c.namespaces.get(ns)?.secrets.get(name)?.token),
    deleteSecret: (ns, name) =>
      call(`delete Secret ${ns}/${name}`, () => {
        c.namespaces.get(ns)?.secrets.delete(name);
        world.changed();
      }),
    watchReadiness: (ns, labelSelector, onSnapshot, signal) => watch(world, c, ns, labelSelector, onSnapshot, signal),
    podLogs: (request: PodLogRequest) =>
      call(`read logs of pod ${request.namespace}/${request.pod}`, () => {
        const release = c.releases.find((r) => r.namespace === request.namespace && podAt(r, request.pod, time.now()));
        const pod = release && podAt(release, request.pod, time.now());
        if (!release || !pod)
          throw new FlowError('kubernetes', `read logs of pod ${request.namespace}/${request.pod}: pods "${request.pod}" not found`);
        const container = pod.containers[0];
        const tail = request.tailLines ?? 100;
        // A crash-looping container: kubelet keeps the last run's output, which both requests return.
        if (container?.reason === 'CrashLoopBackOff') return agentLogLines(time.iso, 'crashed').slice(-tail);
        if (container?.state !== 'running') {
          throw new FlowError(
            'kubernetes',
            `read logs of pod ${request.namespace}/${request.pod}: container "agent" in pod "${request.pod}" is waiting to start: ${container?.reason ?? 'PodInitializing'}`,
          );
        }
        if (request.previous) {
          throw new FlowError(
            'kubernetes',
            `read logs of pod ${request.namespace}/${request.pod}: previous terminated container "agent" in pod "${request.pod}" not found`,
          );
        }
        const secretName = stringAt(currentRevision(release).values, 'config', 'secretName');
        const tokenId = secretName ? c.namespaces.get(release.namespace)?.secrets.get(secretName)?.tokenId : undefined;
        const connected = tokenId !== undefined && isConnected(world, tokenId);
        return agentLogLines(time.iso, connected ? 'connected' : 'unreachable').slice(-tail);
      }),
  };
}

/**
 * An agent Deployment applied as plain manifests (the advanced install) runs pods like a helm release
 * does: a release record marked `manifests`, with the values its pod spec implies, so the pod timeline,
 * logs and the connection follow it.
 */
function runManifests(world: DemoWorld, c: DemoCluster, o: KubeObject): void {
  const instance = o.metadata.labels?.['app.kubernetes.io/instance'];
  if (o.kind !== 'Deployment' || !instance || o.metadata.labels?.['app.kubernetes.io/name'] !== 'gitlab-agent') return;
  type Pod = { containers?: { image?: string; args?: string[] }[]; volumes?: { name: string; secret?: { secretName?: string } }[] };
  const pod = ((o['spec'] as { template?: { spec?: Pod } } | undefined)?.template?.spec ?? {}) as Pod;
  const container = pod.containers?.[0];
  const kasAddress = container?.args?.find((a) => a.startsWith('--kas-address='))?.slice('--kas-address='.length);
  const secretName = pod.volumes?.find((v) => v.name === 'token-volume')?.secret?.secretName;
  const tag = container?.image?.split(':').at(-1);
  const values = mergeValues(CHART_DEFAULTS, { config: { kasAddress, secretName }, image: { tag } });
  const namespace = o.metadata.namespace ?? 'default';
  const existing = findRelease(c, namespace, instance);
  const revision = {
    revision: (existing ? currentRevision(existing).revision : 0) + 1,
    deployedAt: world.time.now(),
    values,
    status: 'deployed' as const,
    chartVersion: DEMO_CHART.version,
    appVersion: tag ?? DEMO_CHART.appVersion,
  };
  if (existing) existing.revisions.push(revision);
  else c.releases.push({ name: instance, namespace, revisions: [revision], manifests: true });
  world.changed();
}

/**
 * The readiness "watch": a snapshot after the initial list, then one at every change — when helm
 * records a release (world change) and at each step of the pod timeline. Resolves when signal aborts.
 */
function watch(
  world: DemoWorld,
  c: DemoCluster,
  namespace: string,
  labelSelector: string,
  onSnapshot: (snapshot: ReadinessSnapshot) => void,
  signal: AbortSignal,
): Promise<void> {
  const { time } = world;
  const instance = instanceOf(labelSelector);
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) return resolve();
    let lastKey = '';
    let cursor = time.now();
    let cancelTimer = () => {};
    const stop = () => {
      cancelTimer();
      unsubscribe();
      signal.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      stop();
      resolve();
    };
    /** false once the watch has ended (the callback threw). */
    const report = (snapshot: ReadinessSnapshot): boolean => {
      const key = JSON.stringify(snapshot);
      if (key === lastKey) return true;
      lastKey = key;
      try {
        onSnapshot(snapshot);
        return true;
      } catch (err) {
        stop();
        reject(err);
        return false;
      }
    };
    const emit = () => {
      cancelTimer();
      const now = time.now();
      const release = instance ? findRelease(c, namespace, instance) : undefined;
      // A watch delivers every change, even late: replay the steps a slow timer skipped, in order.
      for (let at = nextChangeAfter(release, cursor); at !== undefined && at < now; at = nextChangeAfter(release, at)) {
        if (signal.aborted || !report(snapshotAt(release, at, time.iso))) return;
      }
      cursor = now;
      if (signal.aborted || !report(snapshotAt(release, now, time.iso))) return;
      const next = nextChangeAfter(release, now);
      if (next !== undefined) cancelTimer = time.after(next - now, emit);
    };
    const unsubscribe = world.onChange(emit);
    signal.addEventListener('abort', onAbort, { once: true });
    // The first snapshot comes after the initial list calls, as with the real watch.
    cancelTimer = time.after(randomBetween(120, 250), emit);
  });
}

/** Three contexts as a kubeconfig would list them; probes answer after a realistic delay. */
export function createSimKube(world: DemoWorld): KubePort {
  const { time } = world;
  const cluster = (context: string): DemoCluster => {
    const c = world.clusters.get(context);
    if (!c) {
      const names = [...world.clusters.keys()].join(', ');
      throw new UsageError('--context', `unknown context "${context}"`, `choose one of: ${names}`);
    }
    return c;
  };
  return {
    listContexts: async (_source: KubeConfigSource) => {
      await time.jitter(20, 60);
      return [...world.clusters.values()].map((c) => ({ ...c.info }));
    },
    probe: async (_source, context, timeoutMs): Promise<ProbeResult> => {
      const forced = world.faults.probes?.[context];
      if (forced) {
        await time.sleep(Math.min(forced.elapsedMs, timeoutMs));
        return { ...forced };
      }
      const c = world.clusters.get(context);
      if (!c) return { ok: false, kind: 'other', message: `context "${context}" not found in the kubeconfig`, elapsedMs: 0 };
      const started = time.now();
      const elapsed = () => Math.round(time.now() - started);
      const delay = c.unreachable ? UNREACHABLE_AFTER_MS : randomBetween(300, 900);
      if (delay > timeoutMs) {
        await time.sleep(timeoutMs);
        return { ok: false, kind: 'timeout', message: `no answer from ${c.info.server} within ${timeoutMs / 1000}s`, elapsedMs: elapsed() };
      }
      await time.sleep(delay);
      if (c.unreachable) return { ok: false, kind: 'unreachable', message: c.unreachable, elapsedMs: elapsed() };
      return { ok: true, serverVersion: c.serverVersion, elapsedMs: elapsed() };
    },
    cluster: async (_source, context) => simCluster(world, cluster(context)),
  };
}
