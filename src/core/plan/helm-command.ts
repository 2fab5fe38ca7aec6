import type { InstallPlan } from './install-plan.js';
import { helmValuesYaml } from './helm-values.js';

function targetArgs(plan: Pick<InstallPlan, 'kubeconfig' | 'context'>): string[] {
  const args = ['--kube-context', plan.context];
  if (plan.kubeconfig) args.push('--kubeconfig', plan.kubeconfig);
  return args;
}

/**
 * argv for `helm upgrade --install`, values on stdin (`-f -`). --repo instead of `helm repo add`
 * leaves the user's helm repositories untouched. No --wait: we watch readiness ourselves.
 */
export function buildHelmUpgradeArgs(plan: InstallPlan): string[] {
  const chartRef = plan.chart.kind === 'repo' ? plan.chart.name : plan.chart.ref;
  const args = ['upgrade', '--install', plan.release, chartRef, '--namespace', plan.namespace];
  if (plan.chart.kind === 'repo') args.push('--repo', plan.chart.repo);
  if (plan.chartVersion) args.push('--version', plan.chartVersion);
  args.push(...targetArgs(plan));
  args.push('-f', '-');
  for (const file of plan.valuesFiles) args.push('-f', file);
  for (const set of plan.sets) args.push('--set', set);
  for (const set of plan.setStrings) args.push('--set-string', set);
  return args;
}

export function buildHelmUninstallArgs(plan: Pick<InstallPlan, 'release' | 'namespace' | 'kubeconfig' | 'context'>): string[] {
  return ['uninstall', plan.release, '--namespace', plan.namespace, ...targetArgs(plan)];
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The exact command a user could paste: same argv, values as a heredoc in place of our stdin. */
export function pasteableHelmCommand(plan: InstallPlan): string {
  const args = buildHelmUpgradeArgs(plan).map(shellQuote).join(' ');
  return `helm ${args} <<'VALUES'\n${helmValuesYaml(plan)}VALUES`;
}

