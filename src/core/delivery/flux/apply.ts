import { FlowError } from '../../kernel/errors.js';
import { GitLabApiError } from '../../ports/gitlab.js';
import type { DeliveryApplyContext } from '../delivery.js';
import { RECONCILE_ANNOTATION, type FluxPlan, type FluxState } from './plan.js';

/**
 * One commit with every file (or a branch and a merge request, for protected branches), then the
 * annotation `flux reconcile source git` sets, so Flux fetches it now rather than at its interval.
 */
export async function fluxApply(c: DeliveryApplyContext<FluxPlan, FluxState>): Promise<void> {
  const { gitlab, target, plan, state, ledger, cluster, io, ports } = c;
  const branch = state.gitRepository.branch;
  if (state.changes.length > 0) {
    const message = `Install GitLab agent ${target.agentName} (${plan.release} in ${target.namespace})\n\nWritten by gitlab-agent-tui. The agent token is not in Git: it is in Secret ${target.namespace}/${c.settings.tokenSecret.name}.`;
    const actions = state.changes.map((ch) => ({ action: ch.action, path: ch.path, content: ch.content }));
    const into = plan.mergeRequest ? `gitlab-agent-tui/${plan.release}-${ports.clock.now()}` : branch;
    try {
      const commit = await gitlab.commitFiles(target.projectId, {
        branch: into,
        message,
        actions,
        ...(plan.mergeRequest ? { startBranch: branch } : {}),
      });
      state.commitId = plan.mergeRequest ? undefined : commit.id;
      ledger.record({
        kind: 'commit',
        id: commit.id,
        description: `commit ${commit.id.slice(0, 8)} on ${into}: ${state.changes.map((ch) => ch.path).join(', ')}`,
        created: true,
        undo: `delete ${state.dir}/ on ${branch} in ${target.projectPath}: Flux then uninstalls the release`,
      });
    } catch (err) {
      if (err instanceof GitLabApiError && err.status === 403 && /not allowed to push/i.test(err.message)) {
        throw new FlowError(
          'flux',
          `GitLab refused the commit to ${into}: ${err.message}`,
          `${branch} is protected: re-run with --merge-request`,
        );
      }
      throw err;
    }
    if (plan.mergeRequest) {
      const mr = await gitlab.createMergeRequest(target.projectId, {
        sourceBranch: into,
        targetBranch: branch,
        title: `Install GitLab agent ${target.agentName}`,
        description: `Adds the Flux HelmRepository and HelmRelease for agent **${target.agentName}** (${state.dir}/).\n\nThe token is not in this merge request: it is in Secret \`${target.namespace}/${c.settings.tokenSecret.name}\`. Written by gitlab-agent-tui.`,
        removeSourceBranch: true,
      });
      state.mergeRequestUrl = mr.webUrl;
      io.emit({ type: 'info', text: `merge request !${mr.iid}: ${mr.webUrl} — merge it; the install waits for Flux to apply it` });
    }
  } else {
    io.emit({ type: 'info', text: `${state.dir}/ on ${branch} is already up to date: nothing committed` });
  }
  // What `flux reconcile ks --with-source` does: both objects get the request, the source first.
  const requestedAt = new Date(ports.clock.now()).toISOString();
  state.requestedAt = requestedAt;
  const patch = { metadata: { annotations: { [RECONCILE_ANNOTATION]: requestedAt } } };
  await cluster.patchObject(state.gitRepository, patch);
  await cluster.patchObject(state.kustomization, patch);
}
