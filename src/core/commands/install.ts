import { INSTALL_OPTION_IDS, type InstallOptions } from '../flows/install/options.js';
import { defineCommand } from './command.js';

export const installCommand = defineCommand({
  id: 'install',
  aliases: [],
  label: 'Install',
  summary: 'Register an agent and install it with Helm',
  description: 'Register an agent in GitLab and install it with Helm in a cluster, then wait until it is Ready and connected',
  options: INSTALL_OPTION_IDS,
  examples: [
    'gitlab-agent-tui install',
    'GITLAB_TOKEN=… gitlab-agent-tui install --yes --project group/infra --agent prod --context prod-eu',
    'gitlab-agent-tui install --dry-run --project group/infra --agent prod',
  ],
  run: async (options, ports, io) => {
    const { runInstall } = await import('../flows/install/flow.js');
    return runInstall(options as InstallOptions, ports, io);
  },
});
