import { TROUBLESHOOT_OPTION_IDS, type TroubleshootOptions } from '../flows/troubleshoot/options.js';
import { defineCommand } from './command.js';
import { installPickingHelp } from './install-picking-help.js';

export const troubleshootCommand = defineCommand({
  id: 'troubleshoot',
  aliases: ['doctor'],
  label: 'Troubleshoot',
  summary: 'Diagnose an installed agent: the root cause first, with the fix',
  description:
    "Diagnose one agent install, read-only: GitLab (token, KAS, registration, the Secret's token), Flux, the helm release, Deployment, pods, events and agentk's logs, checked in layers; prints the causal chain, root cause first, each finding with its evidence, fix and docs link. --fix then applies the root cause's mechanical fix once confirmed (a new token into the token Secret, a pod restart) and checks again. Exit 0 when nothing fails, 1 when a problem is found",
  options: TROUBLESHOOT_OPTION_IDS,
  optionHelp: installPickingHelp('to diagnose'),
  examples: [
    'gitlab-agent-tui troubleshoot',
    'gitlab-agent-tui doctor --context prod-eu --release prod --output json',
    'gitlab-agent-tui troubleshoot --fix --release prod',
  ],
  run: async (options, ports, io) => {
    const { runTroubleshoot } = await import('../flows/troubleshoot/flow.js');
    return runTroubleshoot(options as TroubleshootOptions, ports, io);
  },
});
