import type { AgentInstall } from '../../discovery/agent-install.js';
import type { KubeObject, KubeObjects } from '../../ports/kube/index.js';

/** Where a Flux-managed install is declared: the HelmRelease, and the Git repository and path Flux applies it from. */
export interface FluxSource {
  helmRelease: { namespace: string; name: string; apiVersion?: string };
  /** From the HelmRelease: the chart version it asks for and its inline values. */
  chartVersion?: string;
  values?: Record<string, unknown>;
  /** The Kustomization that applied the HelmRelease (kustomize-controller labels it), and its source. */
  kustomization?: { namespace: string; name: string; path?: string };
  repository?: { kind: string; name: string; url?: string; branch?: string };
}

const KUSTOMIZE_NAME = 'kustomize.toolkit.fluxcd.io/name';
const KUSTOMIZE_NAMESPACE = 'kustomize.toolkit.fluxcd.io/namespace';

async function served(cluster: KubeObjects, group: string): Promise<string | undefined> {
  const versions = await cluster.servedVersions(group).catch(() => []);
  return versions[0] ? `${group}/${versions[0]}` : undefined;
}

type Spec = Record<string, unknown> & { [key: string]: unknown };
const specOf = (o: KubeObject | undefined) => (o?.spec ?? {}) as Spec;

/**
 * Follows the labels Flux's controllers put on what they apply: HelmRelease → Kustomization → its
 * GitRepository (or OCIRepository). Each link is optional: what cannot be read is left out, never guessed.
 */
export async function fluxSource(cluster: KubeObjects, install: AgentInstall): Promise<FluxSource | undefined> {
  if (!install.flux) return undefined;
  const source: FluxSource = { helmRelease: { ...install.flux } };
  const hrVersion = await served(cluster, 'helm.toolkit.fluxcd.io');
  if (!hrVersion) return source;
  source.helmRelease.apiVersion = hrVersion;
  const hr = await cluster
    .getObject({ apiVersion: hrVersion, kind: 'HelmRelease', namespace: install.flux.namespace, name: install.flux.name })
    .catch(() => undefined);
  if (!hr) return source;
  const chart = (specOf(hr).chart as { spec?: { version?: string } } | undefined)?.spec;
  if (chart?.version) source.chartVersion = chart.version;
  const values = specOf(hr).values;
  if (values && typeof values === 'object') source.values = values as Record<string, unknown>;
  const ksName = hr.metadata.labels?.[KUSTOMIZE_NAME];
  const ksNamespace = hr.metadata.labels?.[KUSTOMIZE_NAMESPACE];
  if (!ksName || !ksNamespace) return source;
  source.kustomization = { namespace: ksNamespace, name: ksName };
  const ksVersion = await served(cluster, 'kustomize.toolkit.fluxcd.io');
  const ks = ksVersion
    ? await cluster.getObject({ apiVersion: ksVersion, kind: 'Kustomization', namespace: ksNamespace, name: ksName }).catch(() => undefined)
    : undefined;
  if (!ks) return source;
  const ksSpec = specOf(ks);
  if (typeof ksSpec.path === 'string') source.kustomization.path = ksSpec.path;
  const ref = ksSpec.sourceRef as { kind?: string; name?: string; namespace?: string } | undefined;
  if (!ref?.kind || !ref.name) return source;
  source.repository = { kind: ref.kind, name: ref.name };
  const srcVersion = await served(cluster, 'source.toolkit.fluxcd.io');
  const repo = srcVersion
    ? await cluster
        .getObject({ apiVersion: srcVersion, kind: ref.kind, namespace: ref.namespace ?? ksNamespace, name: ref.name })
        .catch(() => undefined)
    : undefined;
  const repoSpec = specOf(repo);
  if (typeof repoSpec.url === 'string') source.repository.url = repoSpec.url;
  const branch = (repoSpec.ref as { branch?: string } | undefined)?.branch;
  if (branch) source.repository.branch = branch;
  return source;
}

/** "HelmRelease flux-system/gitlab-agent, applied by Kustomization flux-system/apps from https://… (main), path ./clusters/prod". */
export function describeFluxSource(s: FluxSource): string {
  const hr = `HelmRelease ${s.helmRelease.namespace}/${s.helmRelease.name}`;
  if (!s.kustomization) return hr;
  const ks = `Kustomization ${s.kustomization.namespace}/${s.kustomization.name}`;
  const repo = s.repository
    ? ` from ${s.repository.url ?? `${s.repository.kind} ${s.repository.name}`}${s.repository.branch ? ` (${s.repository.branch})` : ''}`
    : '';
  return `${hr}, applied by ${ks}${repo}${s.kustomization.path ? `, path ${s.kustomization.path}` : ''}`;
}
