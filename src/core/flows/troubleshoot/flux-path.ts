import type { KubeObject } from '../../ports/kube/index.js';

/** The Flux objects a cluster lists, by kind. */
export interface FluxObjects {
  gitRepositories: KubeObject[];
  kustomizations: KubeObject[];
  helmRepositories: KubeObject[];
  helmCharts: KubeObject[];
  /** source.toolkit.fluxcd.io OCIRepository: a chart source of `spec.chartRef` (helm-controller v2). */
  ociRepositories: KubeObject[];
  /** source.toolkit.fluxcd.io Bucket: a chart source of `spec.chart.spec.sourceRef`. */
  buckets: KubeObject[];
  helmReleases: KubeObject[];
}

type Ref = { name: string; namespace: string };
type KindRef = Ref & { kind: string };

const same = (o: KubeObject, r: Ref) => o.metadata.name === r.name && (o.metadata.namespace ?? '') === r.namespace;
const spec = (o: KubeObject) => (o['spec'] ?? {}) as Record<string, unknown>;

/** A `sourceRef`/`chartRef`-shaped field, its namespace defaulting to the object's own (as Flux resolves it). */
function refAt(o: KubeObject, field: unknown): KindRef | undefined {
  const s = (field ?? {}) as { kind?: string; name?: string; namespace?: string };
  if (!s.kind || !s.name) return undefined;
  return { kind: s.kind, name: s.name, namespace: s.namespace ?? o.metadata.namespace ?? '' };
}

/** Kustomization inventory ids are "<namespace>_<name>_<group>_<kind>" (kustomizations.md "Inventory"). */
function inventories(k: KubeObject, hr: Ref): boolean {
  const entries = ((k['status'] ?? {}) as { inventory?: { entries?: { id?: string }[] } }).inventory?.entries ?? [];
  return entries.some((e) => e.id === `${hr.namespace}_${hr.name}_helm.toolkit.fluxcd.io_HelmRelease`);
}

/**
 * Where the HelmRelease's chart comes from (helmreleases.md "Chart template" and "Chart reference"):
 * `spec.chart.spec.sourceRef` — a HelmRepository, GitRepository or Bucket, through the HelmChart helm-controller
 * makes in the source's namespace, named "<hr-namespace>-<hr-name>" (or as status.helmChart says) — or
 * `spec.chartRef`, an OCIRepository or a HelmChart of its own (whose sourceRef is the source then).
 */
function chartSources(all: FluxObjects, release: KubeObject, hr: Ref): { source?: KindRef; helmChart?: Ref } {
  const template = ((spec(release)['chart'] ?? {}) as { spec?: Record<string, unknown> }).spec;
  const chartRef = refAt(release, spec(release)['chartRef']);
  if (chartRef?.kind === 'OCIRepository') return { source: chartRef };
  if (chartRef?.kind === 'HelmChart') {
    const chart = all.helmCharts.find((o) => same(o, chartRef));
    const source = chart ? refAt(chart, spec(chart)['sourceRef']) : undefined;
    return { helmChart: chartRef, ...(source ? { source } : {}) };
  }
  const source = template ? refAt(release, template['sourceRef']) : undefined;
  if (!source) return {};
  const status = ((release['status'] ?? {}) as { helmChart?: string }).helmChart;
  const helmChart: Ref = status?.includes('/')
    ? { namespace: status.slice(0, status.indexOf('/')), name: status.slice(status.indexOf('/') + 1) }
    : { namespace: source.namespace, name: `${hr.namespace}-${hr.name}` };
  return { source, helmChart };
}

/**
 * Only the Flux objects on the agent's path: its HelmRelease, the Kustomization that applied it (by its
 * inventory; while none lists it — the HelmRelease never got applied — the Kustomizations of the HelmRelease's
 * namespace, where glab bootstrap puts it), their GitRepositories, and its chart's source (HelmRepository,
 * GitRepository, Bucket or OCIRepository) and HelmChart. Another team's failing source in the same cluster is
 * not this agent's cause. Not Flux-managed (no HelmRelease expected): everything, as read.
 */
export function onAgentPath(all: FluxObjects, hr: Ref | undefined): FluxObjects {
  if (!hr) return all;
  const release = all.helmReleases.find((o) => same(o, hr));
  const applying = all.kustomizations.filter((k) => inventories(k, hr));
  const kustomizations = applying.length ? applying : all.kustomizations.filter((k) => (k.metadata.namespace ?? '') === hr.namespace);
  const { source, helmChart } = release ? chartSources(all, release, hr) : {};
  const gitRefs = [...kustomizations.map((k) => refAt(k, spec(k)['sourceRef'])), source].filter(
    (r): r is KindRef => r?.kind === 'GitRepository',
  );
  const of = (kind: string) => (o: KubeObject) => source?.kind === kind && same(o, source);
  return {
    helmReleases: release ? [release] : [],
    kustomizations,
    gitRepositories: all.gitRepositories.filter((g) => gitRefs.some((r) => same(g, r))),
    // No chart source known (the HelmRelease not applied yet): the HelmRepositories of its namespace, as glab bootstrap puts them.
    helmRepositories: source
      ? all.helmRepositories.filter(of('HelmRepository'))
      : all.helmRepositories.filter((o) => (o.metadata.namespace ?? '') === hr.namespace),
    helmCharts: helmChart ? all.helmCharts.filter((o) => same(o, helmChart)) : [],
    ociRepositories: all.ociRepositories.filter(of('OCIRepository')),
    buckets: all.buckets.filter(of('Bucket')),
  };
}
