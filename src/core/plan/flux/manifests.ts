import { isSeq, parseDocument, stringify } from 'yaml';
import type { RepoFile } from '../repo-file.js';
import type { FluxApiVersions } from './api-versions.js';

/** What the Flux bootstrap commits: a HelmRepository, a HelmRelease, and a kustomization.yaml listing both. */
export interface FluxRenderInput {
  /** The HelmRelease's name and its Helm release name. */
  release: string;
  /** Where the HelmRepository and HelmRelease objects live (the Kustomization's namespace). */
  fluxNamespace: string;
  /** Where the agent runs (its token Secret is there). */
  targetNamespace: string;
  chartRepo: string;
  chartName: string;
  /** Pinned chart version; none follows the newest, which an installer should not do silently. */
  chartVersion?: string;
  values: Record<string, unknown>;
  apiVersions: Pick<FluxApiVersions, 'source' | 'helm'>;
}

export const FLUX_FILES = {
  repository: 'helm-repository.yaml',
  release: 'helm-release.yaml',
  kustomization: 'kustomization.yaml',
} as const;

const HEADER = '# Written by gitlab-agent-tui. The agent token is not here: it lives in a Secret created through the Kubernetes API.\n';

function helmRepositoryName(release: string): string {
  return `${release}-gitlab-charts`.slice(0, 63).replace(/-+$/, '');
}

export function fluxObjects(input: FluxRenderInput): { repository: Record<string, unknown>; release: Record<string, unknown> } {
  const repositoryName = helmRepositoryName(input.release);
  const oci = input.chartRepo.startsWith('oci://');
  const repository = {
    apiVersion: input.apiVersions.source,
    kind: 'HelmRepository',
    metadata: { name: repositoryName, namespace: input.fluxNamespace },
    spec: { interval: '1h', url: input.chartRepo, ...(oci ? { type: 'oci' } : {}) },
  };
  const release = {
    apiVersion: input.apiVersions.helm,
    kind: 'HelmRelease',
    metadata: { name: input.release, namespace: input.fluxNamespace },
    spec: {
      interval: '10m',
      releaseName: input.release,
      targetNamespace: input.targetNamespace,
      storageNamespace: input.targetNamespace,
      chart: {
        spec: {
          chart: input.chartName,
          ...(input.chartVersion ? { version: input.chartVersion } : {}),
          sourceRef: { kind: 'HelmRepository', name: repositoryName, namespace: input.fluxNamespace },
          interval: '1h',
        },
      },
      // The namespace and the token Secret in it are created through the API before the commit.
      install: { createNamespace: false, remediation: { retries: 3 } },
      upgrade: { remediation: { retries: 3 } },
      values: input.values,
    },
  };
  return { repository, release };
}

/** The three files, YAML as a person would write them. */
export function renderFluxFiles(input: FluxRenderInput): RepoFile[] {
  const { repository, release } = fluxObjects(input);
  const yaml = (o: unknown) => HEADER + stringify(o, { lineWidth: 0 });
  return [
    { path: FLUX_FILES.repository, content: yaml(repository) },
    { path: FLUX_FILES.release, content: yaml(release) },
    {
      path: FLUX_FILES.kustomization,
      content: yaml({
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        resources: [FLUX_FILES.repository, FLUX_FILES.release],
      }),
    },
  ];
}

/** A kustomization.yaml with `entry` added to its resources (undefined when it is listed already or the file is not one). */
export function withResource(text: string, entry: string): string | undefined {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return undefined;
  const resources = doc.get('resources');
  if (resources === undefined || resources === null) {
    doc.set('resources', [entry]);
    return doc.toString();
  }
  if (!isSeq(resources)) return undefined;
  const items = resources.items
    .map((i) => String((i as { value?: unknown }).value ?? i))
    .map((r) => r.replace(/^\.\//, '').replace(/\/$/, ''));
  if (items.includes(entry)) return undefined;
  resources.add(entry);
  return doc.toString();
}

/** The root kustomization.yaml we offer when Flux reconciles the repository root without one. */
export function rootKustomization(resources: string[]): string {
  return (
    '# Added by gitlab-agent-tui: without a kustomization.yaml, Flux applies every YAML file under the root,\n' +
    '# including .gitlab/agents/<agent>/config.yaml, which is not a Kubernetes manifest. List here what Flux applies.\n' +
    stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources }, { lineWidth: 0 })
  );
}
