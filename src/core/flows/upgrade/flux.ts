import { stringify } from 'yaml';
import type { AgentInstall } from '../../discovery/agent-install.js';
import { installName } from '../../plan/lifecycle/install-health.js';
import { upgradeValues } from '../../plan/lifecycle/upgrade-values.js';
import { maskedValues } from '../../plan/lifecycle/values-diff.js';
import type { KubeCluster } from '../../ports/kube/index.js';
import { describeFluxSource, fluxSource } from '../../steps/lifecycle/flux-source.js';
import type { UpgradeTarget } from './target.js';

/**
 * A Flux-managed install is upgraded in Git, or Flux puts the old version back at its next reconcile.
 * The exact change to its HelmRelease, to commit where it is declared; nothing is changed here.
 */
export async function fluxUpgradeLines(install: AgentInstall, target: UpgradeTarget, cluster: KubeCluster): Promise<string[]> {
  const src = await fluxSource(cluster, install);
  const values = upgradeValues(src?.values ?? {}, target.change);
  const spec: Record<string, unknown> = { values: maskedValues(values) };
  if (target.chart.chartVersion) spec.chart = { spec: { version: target.chart.chartVersion } };
  const patch = stringify({ spec }, { lineWidth: 0 }).trimEnd().split('\n');
  return [
    `${installName(install)} is managed by Flux (${src ? describeFluxSource(src) : `HelmRelease ${install.flux?.namespace}/${install.flux?.name}`}).`,
    'helm upgrade would be undone at the next reconcile; change the HelmRelease in Git instead, then `flux reconcile helmrelease` (or wait):',
    ...patch.map((l) => `    ${l}`),
    ...(target.chart.chartVersion ? [] : [`    # and spec.chart.spec.version, if it pins one (now ${src?.chartVersion ?? 'not read'})`]),
  ];
}
