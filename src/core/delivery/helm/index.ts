import { agentSelector, releaseNameProblem } from '../../plan/names.js';
import { buildHelmUninstallArgs } from '../../plan/helm/argv.js';
import { pasteableHelmCommand } from '../../plan/helm/pasteable.js';
import { CHART_NAME, DEFAULT_CHART_REPO, type HelmReleasePlan } from '../../plan/helm/release-plan.js';
import { helmValuesYaml } from '../../plan/helm/values.js';
import { requiredAccess } from '../../plan/helm/required-access.js';
import { tokenSecretScript } from '../../plan/token-secret-script.js';
import { askOption } from '../../steps/ask.js';
import type { Delivery } from '../delivery.js';
import { HELM_LOG_SOURCE, placementOf, runHelmInstall } from './apply.js';
import { helmPreflight, type HelmState } from './preflight.js';
import { renderChart } from './render.js';
import { helmReviewItems } from './review.js';
import { checkHelm } from './tools.js';

/** The agent installed as a Helm release of the gitlab-agent chart, as GitLab's own install command does. */
export const helmDelivery: Delivery<HelmReleasePlan, HelmState> = {
  method: 'helm',
  label: 'Helm',
  hint: 'recommended by GitLab',
  activity: 'helm',
  tools: { step: 'helm', title: 'Helm', check: checkHelm },

  askName: (c) =>
    c.opts.release !== undefined ? Promise.resolve(c.opts.release) : askOption(c.io, 'release', c.agentName, releaseNameProblem),
  askVersion: async (c) => (c.opts.chartVersion ?? (await askOption(c.io, 'chartVersion', ''))) || undefined,

  plan: (opts, release, chartVersion) => ({
    release,
    chart: opts.chart ? { kind: 'ref', ref: opts.chart } : { kind: 'repo', repo: opts.chartRepo ?? DEFAULT_CHART_REPO, name: CHART_NAME },
    chartVersion,
    valuesFiles: opts.values,
    sets: opts.set,
    setStrings: opts.setString ?? [],
  }),
  nameOf: (plan) => plan.release,
  summary: (target, plan) => `namespace ${target.namespace}, release ${plan.release}`,

  requiredAccess: (target, settings, _plan, namespaceExists) => requiredAccess(target, settings, namespaceExists),
  render: renderChart,
  preflight: helmPreflight,
  reviewItems: helmReviewItems,
  pasteable: (target, settings, plan) =>
    [
      ...tokenSecretScript(target, settings.tokenSecret),
      pasteableHelmCommand(placementOf({ target }), plan, helmValuesYaml(settings)),
    ].join('\n'),
  answers: (plan) => ({
    release: plan.release,
    chartVersion: plan.chartVersion,
    ...(plan.chart.kind === 'ref'
      ? { chart: plan.chart.ref }
      : plan.chart.repo !== DEFAULT_CHART_REPO
        ? { chartRepo: plan.chart.repo }
        : {}),
    values: plan.valuesFiles,
    set: plan.sets,
    setString: plan.setStrings,
  }),
  exportText: (settings) => helmValuesYaml(settings),

  apply: (c) => runHelmInstall(c, c.opts.helmLog),
  workload: (target, plan) => ({ namespace: target.namespace, selector: agentSelector(plan.release) }),

  async remove(_entry, target, plan, ports, io) {
    // Clean-up must finish even after the run's own signal fired (that is often why we clean up).
    const signal = new AbortController().signal;
    const r = await ports.helm.run({
      args: buildHelmUninstallArgs(placementOf({ target }), plan.release),
      onLine: (line, stream) => io.emit({ type: 'log', source: HELM_LOG_SOURCE, line, stream }),
      signal,
    });
    if (r.exitCode !== 0) throw new Error(r.stderrTail.slice(-1)[0] ?? `helm exited with ${r.exitCode}`);
  },
};
