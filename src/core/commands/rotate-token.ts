import { ROTATE_OPTION_IDS, type RotateOptions } from '../flows/rotate-token/options.js';
import { defineCommand } from './command.js';
import { installPickingHelp } from './install-picking-help.js';

export const rotateTokenCommand = defineCommand({
  id: 'rotate-token',
  aliases: [],
  label: 'Rotate token',
  summary: "Replace an agent's token without downtime",
  description:
    'Rotate the agent token of an install made by this tool: a new token into its Secret, a rolling restart, and once the new pods are Ready and GitLab sees the new token in use, the old one revoked; on any failure before that the old token is put back',
  options: ROTATE_OPTION_IDS,
  optionHelp: installPickingHelp('whose token to rotate'),
  examples: ['gitlab-agent-tui rotate-token', 'gitlab-agent-tui rotate-token --yes --context prod-eu --release prod --output json'],
  run: async (options, ports, io) => {
    const { runRotateToken } = await import('../flows/rotate-token/flow.js');
    return runRotateToken(options as RotateOptions, ports, io);
  },
});
