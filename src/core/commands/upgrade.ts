import { UPGRADE_OPTION_IDS, type UpgradeOptions } from '../flows/upgrade/options.js';
import { defineCommand } from './command.js';
import { installPickingHelp } from './install-picking-help.js';

export const upgradeCommand = defineCommand({
  id: 'upgrade',
  aliases: [],
  label: 'Upgrade',
  summary: 'Move agents to another version, with a diff and a rollback',
  description:
    'Upgrade installed agents to the agentk GitLab recommends (or --image-tag, --chart-version), keeping their values (helm get values, never --reuse-values); shows the values and manifest diff, watches Ready and connected, offers a rollback on failure',
  options: UPGRADE_OPTION_IDS,
  optionHelp: installPickingHelp('to upgrade'),
  examples: [
    'gitlab-agent-tui upgrade',
    'gitlab-agent-tui upgrade --yes --context prod-eu --release prod --rollback-on-failure',
    'gitlab-agent-tui upgrade --dry-run --release prod --chart-version 2.34.0',
  ],
  run: async (options, ports, io) => {
    const { runUpgrade } = await import('../flows/upgrade/flow.js');
    return runUpgrade(options as UpgradeOptions, ports, io);
  },
});
