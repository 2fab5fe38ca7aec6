import { UNINSTALL_OPTION_IDS, type UninstallOptions } from '../flows/uninstall/options.js';
import { defineCommand } from './command.js';
import { installPickingHelp } from './install-picking-help.js';

export const uninstallCommand = defineCommand({
  id: 'uninstall',
  aliases: [],
  label: 'Uninstall',
  summary: 'Remove an agent, and optionally its token, registration and config file',
  description:
    'Remove an installed agent: helm uninstall after you type its release name (or --yes), wait until its pods are gone, delete the namespace only if this tool created it and it is empty; revoke its token, delete the agent and its config file in GitLab only when asked',
  options: UNINSTALL_OPTION_IDS,
  optionHelp: installPickingHelp('to remove'),
  examples: [
    'gitlab-agent-tui uninstall',
    'gitlab-agent-tui uninstall --yes --context prod-eu --release prod --revoke-agent-token',
    'gitlab-agent-tui uninstall --dry-run --release prod --delete-agent --delete-config',
  ],
  run: async (options, ports, io) => {
    const { runUninstall } = await import('../flows/uninstall/flow.js');
    return runUninstall(options as UninstallOptions, ports, io);
  },
});
