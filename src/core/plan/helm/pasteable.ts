import { buildHelmUpgradeArgs } from './argv.js';
import type { HelmPlacement, HelmReleasePlan } from './release-plan.js';

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The exact command a user could paste: same argv, values as a heredoc in place of our stdin. */
export function pasteableHelmCommand(at: HelmPlacement, plan: HelmReleasePlan, valuesYaml: string): string {
  const args = buildHelmUpgradeArgs(at, plan).map(shellQuote).join(' ');
  return `helm ${args} <<'VALUES'\n${valuesYaml}VALUES`;
}
