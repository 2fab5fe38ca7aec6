import { continuedCommand, flagGroups } from '../shell.js';
import { buildHelmUpgradeArgs } from './argv.js';
import type { HelmPlacement, HelmReleasePlan } from './release-plan.js';

/** `helm …` over continued lines, the values as a heredoc (its end marker at column 0) in place of our stdin. */
export function helmHeredocCommand(args: readonly string[], valuesYaml: string): string {
  const head = args.slice(0, args[0] === 'upgrade' && args[1] === '--install' ? 4 : 3);
  return `${continuedCommand(['helm', ...head], flagGroups(args.slice(head.length)))} <<'VALUES'\n${valuesYaml.endsWith('\n') || valuesYaml === '' ? valuesYaml : `${valuesYaml}\n`}VALUES`;
}

/** The exact command a user could paste: same argv, values as a heredoc in place of our stdin. */
export function pasteableHelmCommand(at: HelmPlacement, plan: HelmReleasePlan, valuesYaml: string): string {
  return helmHeredocCommand(buildHelmUpgradeArgs(at, plan), valuesYaml);
}
