import { notYet } from './not-yet.js';

export const uninstallCommand = notYet({
  id: 'uninstall',
  aliases: [],
  label: 'Uninstall',
  summary: 'Remove an agent',
  description: 'Remove an installed agent from the cluster (and optionally GitLab)',
});
