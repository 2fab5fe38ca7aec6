import { FlowError } from '../../kernel/errors.js';
import { optionError } from '../../options/catalogue.js';
import { agentConfigPath } from '../../plan/agent-config.js';
import { fluxObjects, renderFluxFiles, rootKustomization, withResource, type FluxRenderInput } from '../../plan/flux/manifests.js';
import { normalizeRepoPath, pathCovers, repoJoin } from '../../plan/flux/paths.js';
import { fluxValues } from '../../plan/flux/values.js';
import { CHART_NAME } from '../../plan/helm/release-plan.js';
import type { AgentSettings } from '../../plan/agent-settings.js';
import type { AgentTarget } from '../../plan/agent-target.js';
import type { FluxApiVersions } from '../../plan/flux/api-versions.js';
import { askOption } from '../../steps/ask.js';
import type { DeliveryCheck, DeliveryCheckContext } from '../delivery.js';
import { checkControllers, findFluxSource, fluxApiVersions } from './discover.js';
import type { FluxFileChange, FluxPlan, FluxState } from './plan.js';

const FIELD_MANAGER = 'gitlab-agent-tui';

export function fluxRenderInput(
  target: AgentTarget,
  settings: AgentSettings,
  plan: FluxPlan,
  fluxNamespace: string,
  apiVersions: Pick<FluxApiVersions, 'source' | 'helm'>,
): FluxRenderInput {
  return {
    release: plan.release,
    fluxNamespace,
    targetNamespace: target.namespace,
    chartRepo: plan.chartRepo,
    chartName: CHART_NAME,
    chartVersion: plan.chartVersion,
    values: fluxValues(settings),
    apiVersions,
  };
}

/** Our directory: one per release, so several agents share a Flux path without clashing. */
export const packageDir = (manifestPath: string, release: string) => repoJoin(manifestPath, `gitlab-agent-${release}`);

/**
 * Everything the bootstrap needs to know before anything is created: Flux installed and running,
 * the Kustomization and branch that reconcile this project, a manifest path Flux will apply, the
 * exact file changes of the one commit, and the API server accepting the objects (dry run).
 */
export async function fluxPreflight(c: DeliveryCheckContext<FluxPlan>): Promise<DeliveryCheck<FluxState>> {
  const { cluster, target, settings, plan, io, gitlab } = c;
  const notes: string[] = [];
  const apiVersions = await fluxApiVersions(cluster);
  const source = await findFluxSource(cluster, apiVersions, target, io);
  await checkControllers(cluster, source.fluxNamespace);
  const fluxPath = source.kustomization.path;
  const branch = source.gitRepository.branch;
  const where = `Kustomization ${source.kustomization.namespace}/${source.kustomization.name}`;

  const given = plan.manifestPath;
  const manifestPath = normalizeRepoPath(
    given ??
      (await askOption(
        c.io,
        'manifestPath',
        fluxPath,
        (v) => (pathCovers(fluxPath, v) ? undefined : `Flux reconciles "${fluxPath || '/'}": choose it or a directory below it`),
        {
          help: `Flux (${where}) reconciles "${fluxPath || '/'}" on branch ${branch}; manifests elsewhere are never applied.`,
        },
      )),
  );
  if (!pathCovers(fluxPath, manifestPath)) {
    throw optionError(
      'manifestPath',
      `${where} reconciles "${fluxPath || '/'}" on ${branch}, so manifests committed to "${manifestPath || '/'}" would never be applied`,
      `pass --manifest-path ${fluxPath || '.'} (the --path flux bootstrap was given) or a directory below it`,
    );
  }

  // A refused push must be known now, not after the agent, token and Secret exist.
  const fluxBranch = await gitlab.getBranch(target.projectId, branch);
  if (!fluxBranch)
    throw optionError(
      'method',
      `GitRepository ${source.gitRepository.namespace}/${source.gitRepository.name} follows branch ${branch}, which ${target.projectPath} does not have`,
      'push the branch Flux follows first, or fix the GitRepository',
    );
  if (!fluxBranch.canPush && !plan.mergeRequest) {
    throw optionError(
      'mergeRequest',
      `${branch} of ${target.projectPath} is protected and you may not push to it`,
      'add --merge-request: the manifests then come as a merge request to merge',
    );
  }

  const dir = packageDir(manifestPath, plan.release);
  const changes: FluxFileChange[] = [];
  const want = async (path: string, content: string) => {
    const current = await gitlab.getFile(target.projectId, path, branch);
    if (current === content) return;
    changes.push({ action: current === undefined ? 'create' : 'update', path, content });
  };
  const files = renderFluxFiles(fluxRenderInput(target, settings, plan, source.fluxNamespace, apiVersions));
  for (const f of files) await want(repoJoin(dir, f.path), f.content);

  // A kustomization.yaml where our directory sits lists what Flux applies: ours must be in it.
  const parentPath = repoJoin(manifestPath, 'kustomization.yaml');
  const parent = await gitlab.getFile(target.projectId, parentPath, branch);
  const entry = `gitlab-agent-${plan.release}`;
  let rootWithoutKustomization = false;
  if (parent !== undefined) {
    const updated = withResource(parent, entry);
    if (updated !== undefined) {
      changes.push({ action: 'update', path: parentPath, content: updated });
      notes.push(`${parentPath} gets ${entry} in its resources`);
    }
  } else if (fluxPath === '' && manifestPath === '') {
    io.emit({
      type: 'warn',
      text: `${where} reconciles the repository root, which has no kustomization.yaml: Flux then applies every YAML file, including ${agentConfigPath(target.agentName)}, which is not a Kubernetes manifest, and fails`,
    });
    const add =
      plan.addRootKustomization ??
      (c.dryRun
        ? false
        : await io.asker.ask({
            kind: 'confirm',
            id: 'add-root-kustomization',
            flag: '--add-root-kustomization',
            message: 'Add a kustomization.yaml at the repository root listing flux-system and the agent?',
            help: 'Flux then applies only what it lists: add any other manifests you keep at the root to it.',
            default: false,
          }));
    if (add) {
      const resources = [
        ...((await gitlab.getFile(target.projectId, 'flux-system/kustomization.yaml', branch)) !== undefined ? ['flux-system'] : []),
        entry,
      ];
      changes.push({ action: 'create', path: 'kustomization.yaml', content: rootKustomization(resources) });
      notes.push(`a kustomization.yaml listing ${resources.join(', ')} will be added at the repository root`);
    } else {
      rootWithoutKustomization = true;
      notes.push(
        "no kustomization.yaml will be added at the root: point Flux at a subdirectory (GitLab's advice) if its reconciliation fails",
      );
    }
  }

  // The API server checks the objects against Flux's own schemas now, so the commit cannot carry a typo.
  const objects = fluxObjects(fluxRenderInput(target, settings, plan, source.fluxNamespace, apiVersions));
  for (const o of [objects.repository, objects.release]) {
    try {
      await cluster.applyObject(o as never, { fieldManager: FIELD_MANAGER, dryRun: true, force: true });
    } catch (err) {
      throw new FlowError(
        'preflight',
        `the API server refuses the ${(o as { kind: string }).kind}: ${(err as Error).message}`,
        'nothing was created or committed',
      );
    }
  }
  const existing = await cluster.getObject({
    apiVersion: apiVersions.helm,
    kind: 'HelmRelease',
    namespace: source.fluxNamespace,
    name: plan.release,
  });
  notes.push(
    changes.length === 0
      ? `the manifests in ${dir}/ on ${branch} are up to date: nothing to commit`
      : `${plan.mergeRequest ? 'a merge request into' : 'one commit to'} ${branch}: ${changes.map((ch) => `${ch.action} ${ch.path}`).join(', ')}`,
  );
  return {
    state: { ...source, apiVersions, manifestPath, dir, changes, rootWithoutKustomization },
    notes,
    upgrading: existing !== undefined,
  };
}
