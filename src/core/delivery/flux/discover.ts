import { FlowError } from '../../kernel/errors.js';
import type { FlowIO } from '../../kernel/io.js';
import { optionError } from '../../options/catalogue.js';
import { chooseFluxVersions, FLUX_GROUPS, type FluxApiVersions } from '../../plan/flux/api-versions.js';
import { normalizeRepoPath, repoUrlIsProject } from '../../plan/flux/paths.js';
import type { AgentTarget } from '../../plan/agent-target.js';
import type { KubeCluster, KubeObject } from '../../ports/kube/index.js';
import type { FluxState } from './plan.js';

const CONTROLLERS = ['source-controller', 'kustomize-controller', 'helm-controller'] as const;

type Spec = Record<string, unknown>;
const spec = (o: KubeObject): Spec => (o['spec'] as Spec | undefined) ?? {};
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Flux's APIs as this cluster serves them; a missing group means Flux is not installed. */
export async function fluxApiVersions(cluster: KubeCluster): Promise<FluxApiVersions> {
  const served = {
    source: await cluster.servedVersions(FLUX_GROUPS.source),
    kustomize: await cluster.servedVersions(FLUX_GROUPS.kustomize),
    helm: await cluster.servedVersions(FLUX_GROUPS.helm),
  };
  const chosen = chooseFluxVersions(served);
  const missing = (Object.keys(FLUX_GROUPS) as (keyof FluxApiVersions)[]).filter((k) => !chosen[k]);
  if (missing.length > 0) {
    const what = missing.map((k) => `${FLUX_GROUPS[k]}${served[k].length ? ` (only ${served[k].join(', ')})` : ''}`).join(', ');
    throw optionError(
      'method',
      `Flux is not installed in context ${cluster.context}: the API server serves no ${what}`,
      'bootstrap Flux first (flux bootstrap gitlab …), or choose --method helm',
    );
  }
  return chosen as FluxApiVersions;
}

/** The three controllers must run, or nothing will ever reconcile what we commit. */
export async function checkControllers(cluster: KubeCluster, namespace: string): Promise<void> {
  const problems: string[] = [];
  for (const name of CONTROLLERS) {
    const d = await cluster.getObject({ apiVersion: 'apps/v1', kind: 'Deployment', namespace, name });
    const status = (d?.['status'] as { readyReplicas?: number } | undefined) ?? {};
    if (!d) problems.push(`${name} is missing`);
    else if ((status.readyReplicas ?? 0) < 1) problems.push(`${name} has no Ready replica`);
  }
  if (problems.length > 0) {
    throw new FlowError(
      'preflight',
      `Flux in ${namespace} is not running: ${problems.join(', ')}`,
      `check kubectl -n ${namespace} get deployments; nothing was created`,
    );
  }
}

/** The branch a GitRepository follows; a tag, semver range or commit cannot take a commit. */
function branchOf(repo: KubeObject): string {
  const ref = (spec(repo)['ref'] as Spec | undefined) ?? {};
  const branch = str(ref['branch']) ?? str(ref['name'])?.replace(/^refs\/heads\//, '');
  if (branch && !str(ref['tag']) && !str(ref['semver']) && !str(ref['commit'])) return branch;
  if (!ref['tag'] && !ref['semver'] && !ref['commit'] && !ref['name']) return 'master'; // Flux's default ref
  throw optionError(
    'method',
    `GitRepository ${repo.metadata.namespace}/${repo.metadata.name} follows ${JSON.stringify(ref)}, not a branch: a commit there would never be reconciled`,
    'point Flux at a branch, or use --method helm',
  );
}

/**
 * The Kustomization that reconciles this project's repository, and its GitRepository. Several:
 * the one named flux-system (what flux bootstrap makes) or the user's choice.
 */
export async function findFluxSource(
  cluster: KubeCluster,
  versions: FluxApiVersions,
  target: AgentTarget,
  io: FlowIO,
): Promise<Pick<FluxState, 'kustomization' | 'gitRepository' | 'fluxNamespace'>> {
  const repos = await cluster.listObjects({ apiVersion: versions.source, kind: 'GitRepository' });
  const ours = repos.filter((r) => repoUrlIsProject(str(spec(r)['url']) ?? '', target.gitlabUrl, target.projectPath));
  const kustomizations = await cluster.listObjects({ apiVersion: versions.kustomize, kind: 'Kustomization' });
  const matches = kustomizations
    .map((k) => {
      const ref = (spec(k)['sourceRef'] as Spec | undefined) ?? {};
      const repoNs = str(ref['namespace']) ?? k.metadata.namespace;
      const repo =
        ref['kind'] === 'GitRepository' ? ours.find((r) => r.metadata.name === ref['name'] && r.metadata.namespace === repoNs) : undefined;
      return repo ? { k, repo } : undefined;
    })
    .filter((m): m is { k: KubeObject; repo: KubeObject } => m !== undefined);
  if (matches.length === 0) {
    const watched = repos.map((r) => str(spec(r)['url'])).filter(Boolean);
    throw optionError(
      'project',
      `no Flux Kustomization in context ${cluster.context} reconciles ${target.projectPath}${watched.length ? ` (Flux watches ${watched.join(', ')})` : ' (no GitRepository at all)'}`,
      'choose the project Flux was bootstrapped with, or bootstrap Flux with this one',
    );
  }
  let chosen = matches.find((m) => m.k.metadata.name === 'flux-system') ?? matches[0]!;
  if (matches.length > 1) {
    const key = (m: (typeof matches)[number]) => `${m.k.metadata.namespace}/${m.k.metadata.name}`;
    const picked = await io.asker.ask({
      kind: 'select',
      id: 'flux-kustomization',
      message: `Several Flux Kustomizations reconcile ${target.projectPath}. Which one should apply the agent?`,
      choices: matches.map((m) => ({
        value: key(m),
        label: key(m),
        hint: `path ${normalizeRepoPath(str(spec(m.k)['path']) ?? '') || '/'}`,
      })),
      default: key(chosen),
    });
    chosen = matches.find((m) => key(m) === picked) ?? chosen;
  }
  const { k, repo } = chosen;
  return {
    kustomization: {
      apiVersion: versions.kustomize,
      kind: 'Kustomization',
      namespace: k.metadata.namespace,
      name: k.metadata.name,
      path: normalizeRepoPath(str(spec(k)['path']) ?? ''),
    },
    gitRepository: {
      apiVersion: versions.source,
      kind: 'GitRepository',
      namespace: repo.metadata.namespace,
      name: repo.metadata.name,
      url: str(spec(repo)['url']) ?? '',
      branch: branchOf(repo),
    },
    fluxNamespace: k.metadata.namespace ?? 'flux-system',
  };
}
