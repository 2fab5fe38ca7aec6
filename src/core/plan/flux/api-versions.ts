/** Flux's API groups, and the versions of them whose HelmRepository / HelmRelease shape we write. */
export const FLUX_GROUPS = {
  source: 'source.toolkit.fluxcd.io',
  kustomize: 'kustomize.toolkit.fluxcd.io',
  helm: 'helm.toolkit.fluxcd.io',
} as const;

/** Newest first: a HelmRepository and a HelmRelease look the same in each for the fields we set. */
const KNOWN = {
  source: ['v1', 'v1beta2'],
  kustomize: ['v1', 'v1beta2'],
  helm: ['v2', 'v2beta2', 'v2beta1'],
} as const;

export interface FluxApiVersions {
  source: string;
  kustomize: string;
  helm: string;
}

/** What a cluster without Flux gets in an export: the current Flux APIs. */
export const NEWEST_FLUX_API_VERSIONS: FluxApiVersions = {
  source: `${FLUX_GROUPS.source}/v1`,
  kustomize: `${FLUX_GROUPS.kustomize}/v1`,
  helm: `${FLUX_GROUPS.helm}/v2`,
};

/**
 * The newest version we know that the cluster serves, per group, as "group/version"; undefined
 * for a group the cluster does not serve in any version we can write.
 */
export function chooseFluxVersions(served: Record<keyof FluxApiVersions, string[]>): Partial<FluxApiVersions> {
  const out: Partial<FluxApiVersions> = {};
  for (const key of Object.keys(KNOWN) as (keyof FluxApiVersions)[]) {
    const version = KNOWN[key].find((v) => served[key].includes(v));
    if (version) out[key] = `${FLUX_GROUPS[key]}/${version}`;
  }
  return out;
}
