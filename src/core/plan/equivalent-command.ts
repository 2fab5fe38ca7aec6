import type { OptionValues } from '../options/values.js';
import { INSTALL_OPTION_IDS } from '../flows/install/options.js';
import { commandLine, flagsOf, type CommandLine } from './command-line.js';

/** Flags that are no answer to repeat: where output goes, and what only this run wrote. */
const NOT_REPEATED = new Set<string>(['output']);

/**
 * The same install without a question: `gitlab-agent-tui install --yes` with every answer as its flag,
 * so an interactive run can be repeated in CI. Never a token: the catalogue has no flag for one (it
 * comes from GITLAB_TOKEN), and `answers` holds none.
 */
export function equivalentInstallCommand(answers: Partial<OptionValues>): CommandLine {
  return commandLine(
    ['install', '--yes'],
    flagsOf(
      answers,
      INSTALL_OPTION_IDS.filter((id) => !NOT_REPEATED.has(id)),
    ),
  );
}
