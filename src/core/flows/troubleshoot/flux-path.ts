import type { KubeObject } from '../../ports/kube/index.js';

/** The Flux objects a cluster lists, by kind. */
export interface FluxObjects {
  gitRepositories: KubeObject[];
  kustomizations: KubeObject[];
  helmRepositories: KubeObject[];
  helmCharts: KubeObject[];
  helmReleases: KubeObject[];
}

type Ref = { name: string; namespace: string };

const same = (o: KubeObject, r: Ref) => o.metadata.name === r.name && (o.metadata.namespace ?? '') === r.namespace;
const spec = (o: KubeObject) => (o['spec'] ?? {}) as Record<string, unknown>;

/** A spec's sourceRef of the given kind, its namespace defaulting to the object's own (as Flux resolves it). */
function sourceOf(o: KubeObject, kind: string, at: Record<string, unknown> = spec(o)): Ref | undefined {
  const s = (at['sourceRef'] ?? {}) as { kind?: string; name?: string; namespace?: string };
  if (s.kind !== kind || !s.name) return undefined;
  return { name: s.name, namespace: s.namespace ?? o.metadata.namespace ?? '' };
}

/** Kustomization inventory ids are "<namespace>_<name>_<group>_<kind>" (kustomizations.md "Inventory"). */
function inventories(k: KubeObject, hr: Ref): boolean {
  const entries = ((k['status'] ?? {}) as { inventory?: { entries?: { id?: string }[] } }).inventory?.entries ?? [];
  return entries.some((e) => e.id === `${hr.namespace}_${hr.name}_helm.toolkit.fluxcd.io_HelmRelease`);
}

/**
 * Only the Flux objects on the agent's path: its HelmRelease, the Kustomization that applied it (by its
 * inventory; while none lists it — the HelmRelease never got applied — the Kustomizations of the HelmRelease's
 * namespace, where glab bootstrap puts it), their GitRepositories, and the HelmRepository and HelmChart of its
 * chart. Another team's failing source in the same cluster is not this agent's cause. Not Flux-managed (no
 * HelmRelease expected): everything, as read.
 */
export function onAgentPath(all: FluxObjects, hr: Ref | undefined): FluxObjects {
  if (!hr) return all;
  const release = all.helmReleases.find((o) => same(o, hr));
  const applying = all.kustomizations.filter((k) => inventories(k, hr));
  const kustomizations = applying.length ? applying : all.kustomizations.filter((k) => (k.metadata.namespace ?? '') === hr.namespace);
  const gitRefs = kustomizations.map((k) => sourceOf(k, 'GitRepository')).filter((r): r is Ref => r !== undefined);
  const chartSpec = (((release ? spec(release)['chart'] : undefined) ?? {}) as { spec?: Record<string, unknown> }).spec;
  const repo = release && chartSpec ? sourceOf(release, 'HelmRepository', chartSpec) : undefined;
  const chartRef = ((release?.['status'] ?? {}) as { helmChart?: string }).helmChart;
  const chart: Ref | undefined = chartRef?.includes('/')
    ? { namespace: chartRef.slice(0, chartRef.indexOf('/')), name: chartRef.slice(chartRef.indexOf('/') + 1) }
    : repo
      ? { namespace: repo.namespace, name: `${hr.namespace}-${hr.name}` }
      : undefined;
  return {
    helmReleases: release ? [release] : [],
    kustomizations,
    gitRepositories: all.gitRepositories.filter((g) => gitRefs.some((r) => same(g, r))),
    helmRepositories: repo
      ? all.helmRepositories.filter((o) => same(o, repo))
      : all.helmRepositories.filter((o) => (o.metadata.namespace ?? '') === hr.namespace),
    helmCharts: chart ? all.helmCharts.filter((o) => same(o, chart)) : [],
  };
}
