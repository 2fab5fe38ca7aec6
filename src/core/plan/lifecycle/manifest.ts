import { parseAllDocuments, stringify } from 'yaml';
import { MASK } from './values-diff.js';

/** One object of a rendered release (`helm get manifest`, `helm template`): plain data. */
export interface ManifestObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [key: string]: unknown;
}

/** The agent's Deployment as its chart rendered it: where its pods are and how to select them. */
export interface RenderedDeployment {
  name: string;
  namespace?: string;
  /** spec.selector.matchLabels as a label selector. */
  selector: string;
  containers: { name: string; image?: string; env: Record<string, string> }[];
}

/**
 * Every object of a multi-document manifest. Comments ("# Source: …") and empty documents are dropped;
 * a document that is not an object with kind and name is left out rather than guessed at.
 */
export function parseManifest(text: string): ManifestObject[] {
  const out: ManifestObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`the rendered manifest is not YAML: ${doc.errors[0]!.message}`);
    const value: unknown = doc.toJS();
    if (!value || typeof value !== 'object' || Array.isArray(value)) continue;
    const o = value as Partial<ManifestObject>;
    if (typeof o.kind !== 'string' || typeof o.metadata?.name !== 'string') continue;
    out.push({ ...o, apiVersion: o.apiVersion ?? 'v1', kind: o.kind, metadata: o.metadata } as ManifestObject);
  }
  return out;
}

export const objectKey = (o: ManifestObject, defaultNamespace = ''): string =>
  `${o.kind}/${o.metadata.namespace ?? defaultNamespace}/${o.metadata.name}`;

/** The Deployments of a release and their pod selector, never a guessed name or label. */
export function renderedDeployments(objects: ManifestObject[]): RenderedDeployment[] {
  return objects
    .filter((o) => o.kind === 'Deployment')
    .flatMap((o) => {
      const spec = o.spec as
        { selector?: { matchLabels?: Record<string, string> }; template?: { spec?: { containers?: unknown[] } } } | undefined;
      const labels = spec?.selector?.matchLabels;
      if (!labels || Object.keys(labels).length === 0) return [];
      const containers = (spec?.template?.spec?.containers ?? []).map((raw) => {
        const c = raw as { name?: string; image?: string; env?: { name?: string; value?: unknown }[] };
        const env = Object.fromEntries((c.env ?? []).filter((e) => e.name && e.value !== undefined).map((e) => [e.name!, String(e.value)]));
        return { name: c.name ?? '', ...(c.image ? { image: c.image } : {}), env };
      });
      return [
        {
          name: o.metadata.name,
          ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
          selector: Object.entries(labels)
            .map(([k, v]) => `${k}=${v}`)
            .join(','),
          containers,
        },
      ];
    });
}

/** "gitlab-agent-2.32.0" from the `helm.sh/chart` label the chart puts on its objects → "2.32.0". */
export function renderedChartVersion(objects: ManifestObject[], chartName: string): string | undefined {
  for (const o of objects) {
    const label = o.metadata.labels?.['helm.sh/chart'];
    if (label?.startsWith(`${chartName}-`)) return label.slice(chartName.length + 1);
  }
  return undefined;
}

/** The object as YAML for a diff: a Secret's data masked key by key, so a diff can say a key changed but never what it holds. */
export function objectYaml(o: ManifestObject): string {
  let shown: ManifestObject = o;
  if (o.kind === 'Secret') {
    const mask = (d: unknown) => (d && typeof d === 'object' ? Object.fromEntries(Object.keys(d).map((k) => [k, MASK])) : d);
    shown = {
      ...o,
      ...(o.data !== undefined ? { data: mask(o.data) } : {}),
      ...(o.stringData !== undefined ? { stringData: mask(o.stringData) } : {}),
    };
  }
  return stringify(shown, { lineWidth: 0, sortMapEntries: true });
}
