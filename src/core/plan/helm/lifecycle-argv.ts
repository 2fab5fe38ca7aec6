import { stringify } from 'yaml';
import { maskedValues } from '../lifecycle/values-diff.js';
import { helmHeredocCommand } from './pasteable.js';
import type { HelmPlacement, HelmReleasePlan } from './release-plan.js';

/** Which chart an existing release moves to: the source and, when pinned, the version. */
export type ChartTarget = Pick<HelmReleasePlan, 'chart' | 'chartVersion'> &
  Partial<Pick<HelmReleasePlan, 'valuesFiles' | 'sets' | 'setStrings'>>;

function targetArgs(at: Pick<HelmPlacement, 'kubeconfig' | 'context'>): string[] {
  return ['--kube-context', at.context, ...(at.kubeconfig ? ['--kubeconfig', at.kubeconfig] : [])];
}

function chartArgs(chart: ChartTarget): { ref: string; flags: string[] } {
  const ref = chart.chart.kind === 'repo' ? chart.chart.name : chart.chart.ref;
  const flags = [
    ...(chart.chart.kind === 'repo' ? ['--repo', chart.chart.repo] : []),
    ...(chart.chartVersion ? ['--version', chart.chartVersion] : []),
  ];
  return { ref, flags };
}

/** The values after stdin's: extra files and --set items, which win over it as helm merges left to right. */
function extraValues(chart: ChartTarget): string[] {
  return [
    ...(chart.valuesFiles ?? []).flatMap((f) => ['-f', f]),
    ...(chart.sets ?? []).flatMap((s) => ['--set', s]),
    ...(chart.setStrings ?? []).flatMap((s) => ['--set-string', s]),
  ];
}

/**
 * `helm upgrade` of a release that exists: no --install (a vanished release must not be re-created
 * silently), never --reuse-values (it misses new chart defaults): the values go whole on stdin.
 * No --wait: we watch the rollout ourselves.
 */
export function buildHelmUpgradeExistingArgs(at: HelmPlacement, release: string, chart: ChartTarget): string[] {
  const { ref, flags } = chartArgs(chart);
  return ['upgrade', release, ref, '--namespace', at.namespace, ...flags, ...targetArgs(at), '-f', '-', ...extraValues(chart)];
}

/**
 * `helm template` of the same chart and values: the diff of what an upgrade will change, and the objects
 * an install will create (checked before anything is). Renders locally: no cluster is contacted.
 */
export function buildHelmTemplateArgs(at: HelmPlacement, release: string, chart: ChartTarget, upgrade = true): string[] {
  const { ref, flags } = chartArgs(chart);
  return [
    'template',
    release,
    ref,
    '--namespace',
    at.namespace,
    ...flags,
    ...(upgrade ? ['--is-upgrade'] : []),
    '-f',
    '-',
    ...extraValues(chart),
  ];
}

export function buildHelmRollbackArgs(at: HelmPlacement, release: string, revision: number): string[] {
  return ['rollback', release, String(revision), '--namespace', at.namespace, ...targetArgs(at)];
}

/** The upgrade as a person could paste it: the same argv with the values as a heredoc, credentials masked. */
export function pasteableHelmUpgrade(at: HelmPlacement, release: string, chart: ChartTarget, values: Record<string, unknown>): string {
  return helmHeredocCommand(buildHelmUpgradeExistingArgs(at, release, chart), stringify(maskedValues(values), { lineWidth: 0 }));
}
