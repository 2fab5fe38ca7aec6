import type { HelmPlacement, HelmReleasePlan } from './release-plan.js';

function targetArgs(at: Pick<HelmPlacement, 'kubeconfig' | 'context'>): string[] {
  const args = ['--kube-context', at.context];
  if (at.kubeconfig) args.push('--kubeconfig', at.kubeconfig);
  return args;
}

/**
 * argv for `helm upgrade --install`, values on stdin (`-f -`). --repo instead of `helm repo add`
 * leaves the user's helm repositories untouched. No --wait: we watch readiness ourselves.
 */
export function buildHelmUpgradeArgs(at: HelmPlacement, plan: HelmReleasePlan): string[] {
  const chartRef = plan.chart.kind === 'repo' ? plan.chart.name : plan.chart.ref;
  const args = ['upgrade', '--install', plan.release, chartRef, '--namespace', at.namespace];
  if (plan.chart.kind === 'repo') args.push('--repo', plan.chart.repo);
  if (plan.chartVersion) args.push('--version', plan.chartVersion);
  args.push(...targetArgs(at));
  args.push('-f', '-');
  for (const file of plan.valuesFiles) args.push('-f', file);
  for (const set of plan.sets) args.push('--set', set);
  for (const set of plan.setStrings) args.push('--set-string', set);
  return args;
}

export function buildHelmUninstallArgs(at: HelmPlacement, release: string): string[] {
  return ['uninstall', release, '--namespace', at.namespace, ...targetArgs(at)];
}

/** `helm uninstall …` as a person would type it (the "what is left" list). */
export function helmUninstallCommand(at: HelmPlacement, release: string): string {
  return `helm uninstall ${release} -n ${at.namespace} --kube-context ${at.context}`;
}
