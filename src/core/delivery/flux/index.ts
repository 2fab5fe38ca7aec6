import { stringify } from 'yaml';
import { optionError } from '../../options/catalogue.js';
import { NEWEST_FLUX_API_VERSIONS } from '../../plan/flux/api-versions.js';
import { FLUX_FILES, renderFluxFiles } from '../../plan/flux/manifests.js';
import { DEFAULT_CHART_REPO } from '../../plan/helm/release-plan.js';
import { agentSelector, releaseNameProblem } from '../../plan/names.js';
import { commentLines, shellQuote } from '../../plan/shell.js';
import { tokenSecretScript } from '../../plan/token-secret-script.js';
import { askOption } from '../../steps/ask.js';
import type { NeededAccess } from '../../steps/check/access.js';
import type { Delivery } from '../delivery.js';
import { fluxApply } from './apply.js';
import type { FluxPlan, FluxState } from './plan.js';
import { fluxValues } from '../../plan/flux/values.js';
import { fluxPreflight, fluxRenderInput, packageDir } from './preflight.js';
import { watchFlux } from './watch.js';

/**
 * What `glab cluster agent bootstrap` does, done better: the token Secret through the API (never in Git,
 * never on a command line), our own Secret name, the image tag pinned by GitLab's rule, one commit (or a
 * merge request), and a watch of Flux's own conditions down to the pods and the connection.
 */
export const fluxDelivery: Delivery<FluxPlan, FluxState> = {
  method: 'flux',
  label: 'Flux (GitOps)',
  hint: 'commit a HelmRelease to the repository Flux watches; GitLab recommends it',
  activity: 'GitLab and Flux',
  applyTitle: 'Commit the Flux manifests',

  askName: (c) =>
    c.opts.release !== undefined
      ? Promise.resolve(c.opts.release)
      : askOption(c.io, 'release', c.agentName, releaseNameProblem, {
          message: 'HelmRelease name',
          help: 'The Flux HelmRelease and its helm release; defaults to the agent name.',
        }),
  askVersion: async (c) =>
    (c.opts.chartVersion ??
      (await askOption(c.io, 'chartVersion', '', undefined, {
        help: 'Pin it: empty lets Flux follow the newest chart, which can change agentk under you.',
      }))) ||
    undefined,
  validate(opts) {
    if (opts.chart !== undefined)
      throw optionError('chart', 'Flux installs charts from a Helm repository, not a local chart', 'use --chart-repo (https:// or oci://)');
    for (const id of ['set', 'setString', 'values'] as const) {
      if ((opts[id] ?? []).length > 0)
        throw optionError(id, 'is not supported with --method flux yet', 'edit the values in helm-release.yaml after the commit');
    }
  },
  plan(opts, release, chartVersion) {
    return {
      release,
      chartRepo: opts.chartRepo ?? DEFAULT_CHART_REPO,
      chartVersion,
      manifestPath: opts.manifestPath,
      mergeRequest: opts.mergeRequest === true,
      addRootKustomization: opts.addRootKustomization || undefined,
    };
  },
  nameOf: (plan) => plan.release,
  summary: (target, plan) => `namespace ${target.namespace}, HelmRelease ${plan.release}`,

  requiredAccess(target, settings, _plan, namespaceExists): NeededAccess[] {
    const ns = target.namespace;
    const checks: NeededAccess[] = [];
    if (!namespaceExists && target.createNamespace)
      checks.push({ verb: 'create', group: '', resource: 'namespaces', why: `create namespace ${ns}` });
    if (!settings.tokenSecret.own) {
      checks.push({ verb: 'create', group: '', resource: 'secrets', namespace: ns, why: 'store the agent token (it never goes into Git)' });
      checks.push({ verb: 'update', group: '', resource: 'secrets', namespace: ns, why: 'replace the agent token on re-runs' });
    }
    checks.push(
      { verb: 'list', group: 'source.toolkit.fluxcd.io', resource: 'gitrepositories', why: 'find the repository Flux watches' },
      { verb: 'list', group: 'kustomize.toolkit.fluxcd.io', resource: 'kustomizations', why: 'read the path Flux reconciles' },
      { verb: 'patch', group: 'source.toolkit.fluxcd.io', resource: 'gitrepositories', why: 'ask Flux to reconcile now' },
      { verb: 'patch', group: 'kustomize.toolkit.fluxcd.io', resource: 'kustomizations', why: 'ask Flux to reconcile now' },
      { verb: 'watch', group: 'helm.toolkit.fluxcd.io', resource: 'helmreleases', why: 'watch the HelmRelease become Ready' },
      { verb: 'watch', group: '', resource: 'pods', namespace: ns, why: 'watch the agent pods become Ready' },
    );
    return checks;
  },
  preflight: fluxPreflight,
  reviewItems: (plan, check) => {
    const s = check?.state;
    return {
      placement: [
        {
          label: 'HelmRelease',
          value: `${plan.release}${s ? ` in ${s.fluxNamespace} (${s.apiVersions.helm})` : ''}, chart ${plan.chartVersion ?? '(newest)'} from ${plan.chartRepo}`,
          warning: plan.chartVersion ? undefined : 'unpinned: Flux follows the newest chart',
        },
        {
          label: 'Flux',
          value: s
            ? `${s.kustomization.namespace}/${s.kustomization.name} reconciles "${s.kustomization.path || '/'}" on ${s.gitRepository.branch}`
            : 'not checked (cluster unreachable)',
        },
        {
          label: 'Commit',
          value: s
            ? s.changes.length
              ? `${plan.mergeRequest ? 'merge request' : 'commit'}: ${s.changes.map((ch) => `${ch.action} ${ch.path}`).join(', ')}`
              : 'nothing to commit (up to date)'
            : `${plan.mergeRequest ? 'merge request' : 'commit'}`,
          warning: s?.rootWithoutKustomization ? 'Flux reconciles the repository root without a kustomization.yaml' : undefined,
        },
      ],
      extra: [],
    };
  },
  pasteable: (target, settings, plan, state) => {
    const files = renderFluxFiles(
      fluxRenderInput(target, settings, plan, state?.fluxNamespace ?? 'flux-system', state?.apiVersions ?? NEWEST_FLUX_API_VERSIONS),
    );
    const dir = state?.dir ?? packageDir(state?.manifestPath ?? plan.manifestPath ?? '<flux path>', plan.release);
    const quoted = shellQuote(dir);
    return [
      ...tokenSecretScript(target, settings.tokenSecret),
      ...commentLines(
        `The token Secret never goes into Git. Write these files, commit them to the branch Flux watches, then: flux reconcile kustomization ${state?.kustomization.name ?? 'flux-system'} -n ${state?.kustomization.namespace ?? 'flux-system'} --with-source`,
      ),
      `mkdir -p ${quoted}`,
      ...files.flatMap((f) => [`cat > ${shellQuote(`${dir}/${f.path}`)} <<'YAML'`, f.content.replace(/\n$/, ''), 'YAML']),
    ].join('\n');
  },
  answers: (plan, state) => ({
    release: plan.release,
    chartVersion: plan.chartVersion,
    chartRepo: plan.chartRepo === DEFAULT_CHART_REPO ? undefined : plan.chartRepo,
    manifestPath: state?.manifestPath ?? plan.manifestPath,
    mergeRequest: plan.mergeRequest || undefined,
    // Asked in preflight when Flux reconciles a root without a kustomization.yaml: yes is the one we add.
    addRootKustomization:
      plan.addRootKustomization ?? (state?.changes.some((ch) => ch.action === 'create' && ch.path === 'kustomization.yaml') || undefined),
  }),
  exportText: (settings) => stringify(fluxValues(settings), { lineWidth: 0 }),

  apply: fluxApply,
  verify: { step: 'flux', title: 'Flux reconciled', activity: 'the Flux watch', run: watchFlux },
  workload: (target, plan) => ({ namespace: target.namespace, selector: agentSelector(plan.release) }),
  uninstallHint: (_target, plan) =>
    `delete the gitlab-agent-${plan.release}/ directory (${FLUX_FILES.release} and its neighbours) from the Flux branch: Flux uninstalls the release`,

  // Nothing to undo in the cluster: the commit stays (history) and Flux owns what it applied.
  async remove() {},
};
