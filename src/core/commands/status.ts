import { STATUS_OPTION_IDS, type StatusOptions } from '../flows/status/options.js';
import { defineCommand } from './command.js';

export const statusCommand = defineCommand({
  id: 'status',
  aliases: [],
  label: 'Status',
  summary: 'Agents in your clusters: health, version, connection, token',
  description:
    'Show every agent install in one context or several: pod health, agentk version against GitLab (±1 minor), the connection GitLab sees, and the token age and last use. Exit 0 when all are healthy, 1 otherwise',
  options: STATUS_OPTION_IDS,
  optionHelp: { namespace: 'look only in this namespace (default: every namespace you may list)' },
  examples: [
    'gitlab-agent-tui status',
    'gitlab-agent-tui status --all-contexts --output json',
    'gitlab-agent-tui status --context prod-eu --context prod-us',
  ],
  run: async (options, ports, io) => {
    const { runStatus } = await import('../flows/status/flow.js');
    return runStatus(options as StatusOptions, ports, io);
  },
});
