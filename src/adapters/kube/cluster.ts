import type {
  AccessCheck,
  AccessResult,
  ExistingAgentDeployment,
  HelmReleaseRecord,
  KubeCluster,
  KubeObject,
  ObjectQuery,
  NamespaceInfo,
  ObjectRef,
  PodLogRequest,
  TokenSecretInfo,
  TokenSecretSpec,
} from '../../core/ports/kube/index.js';
import type { HelmRelease } from '../../core/ports/helm.js';
import type { ReadinessSnapshot } from '../../core/readiness/snapshot.js';
import { canI } from './access.js';
import { applyObject, deleteObject, getObject, listApiGroups, listObjects, patchObject, servedVersions } from './objects.js';
import type { KubeApis } from './apis.js';
import { findAgentDeployments } from './deployments.js';
import { helmReleaseList, helmReleaseRecords } from './helm-releases.js';
import { createNamespace, deleteNamespace, namespaceExists, namespaceInfo } from './namespaces.js';
import { watchObjects } from './object-watch.js';
import { podLogs } from './pod-logs.js';
import { warmLookup } from './shared-discovery.js';
import { watchReadiness, type ReadinessWatchOptions } from './readiness-watch.js';
import type { Secret } from '../../core/kernel/secret.js';
import { deleteSecret, getTokenSecret, listTokenSecrets, readTokenValue, writeTokenSecret } from './secrets.js';

/** KubeCluster over client-node: each method is one concept file; this class only wires them. */
export class ClientNodeCluster implements KubeCluster {
  constructor(
    private readonly apis: KubeApis,
    private readonly watchOptions: ReadinessWatchOptions = {},
  ) {}

  get context(): string {
    return this.apis.context;
  }

  warmDiscovery(kinds: { apiVersion: string; kind: string }[]): void {
    for (const k of kinds) warmLookup(this.apis.objects, k.apiVersion, k.kind);
  }

  async serverVersion(): Promise<string> {
    const info = await this.apis.call('read the server version', (options) => this.apis.version.getCode({}, options));
    return info.gitVersion;
  }

  canI(checks: AccessCheck[]): Promise<AccessResult[]> {
    return canI(this.apis, checks);
  }

  namespaceExists(name: string): Promise<boolean> {
    return namespaceExists(this.apis, name);
  }

  namespaceInfo(name: string): Promise<NamespaceInfo | undefined> {
    return namespaceInfo(this.apis, name);
  }

  createNamespace(name: string, labels?: Record<string, string>): Promise<void> {
    return createNamespace(this.apis, name, labels);
  }

  deleteNamespace(name: string): Promise<void> {
    return deleteNamespace(this.apis, name);
  }

  findAgentDeployments(namespace?: string): Promise<ExistingAgentDeployment[]> {
    return findAgentDeployments(this.apis, namespace);
  }

  getTokenSecret(namespace: string, name: string): Promise<TokenSecretInfo | undefined> {
    return getTokenSecret(this.apis, namespace, name);
  }

  helmReleaseRecords(namespace: string, release: string): Promise<HelmReleaseRecord[]> {
    return helmReleaseRecords(this.apis, namespace, release);
  }

  helmReleaseList(namespace: string): Promise<HelmRelease[]> {
    return helmReleaseList(this.apis, namespace);
  }

  listTokenSecrets(namespace?: string): Promise<TokenSecretInfo[]> {
    return listTokenSecrets(this.apis, namespace);
  }

  writeTokenSecret(spec: TokenSecretSpec): Promise<void> {
    return writeTokenSecret(this.apis, spec);
  }

  readTokenValue(namespace: string, name: string): Promise<Secret | undefined> {
    return readTokenValue(this.apis, namespace, name);
  }

  deleteSecret(namespace: string, name: string): Promise<void> {
    return deleteSecret(this.apis, namespace, name);
  }

  watchReadiness(
    namespace: string,
    labelSelector: string,
    onSnapshot: (snapshot: ReadinessSnapshot) => void,
    signal: AbortSignal,
  ): Promise<void> {
    return watchReadiness(this.apis, namespace, labelSelector, onSnapshot, signal, this.watchOptions);
  }

  podLogs(request: PodLogRequest): Promise<string[]> {
    return podLogs(this.apis, request);
  }

  /** The GET /apis in flight: concurrent servedVersions calls (Flux's three groups) share one request. */
  #apiGroups: ReturnType<typeof listApiGroups> | undefined;

  servedVersions(group: string): Promise<string[]> {
    return servedVersions(this.apis, group, () => {
      this.#apiGroups ??= listApiGroups(this.apis).finally(() => {
        this.#apiGroups = undefined;
      });
      return this.#apiGroups;
    });
  }

  getObject(ref: ObjectRef): Promise<KubeObject | undefined> {
    return getObject(this.apis, ref);
  }

  listObjects(query: { apiVersion: string; kind: string; namespace?: string; labelSelector?: string }): Promise<KubeObject[]> {
    return listObjects(this.apis, query);
  }

  applyObject(object: KubeObject, options: { fieldManager: string; dryRun?: boolean; force?: boolean }): Promise<KubeObject> {
    return applyObject(this.apis, object, options);
  }

  patchObject(ref: ObjectRef, patch: Record<string, unknown>): Promise<KubeObject> {
    return patchObject(this.apis, ref, patch);
  }

  watchObjects(query: ObjectQuery, onChange: (objects: KubeObject[]) => void, signal: AbortSignal): Promise<void> {
    return watchObjects(this.apis, query, onChange, signal);
  }

  deleteObject(ref: ObjectRef): Promise<void> {
    return deleteObject(this.apis, ref);
  }
}
