import { notYet } from './not-yet.js';

export const upgradeCommand = notYet({
  id: 'upgrade',
  aliases: [],
  label: 'Upgrade',
  summary: 'Move an agent to another version',
  description: 'Upgrade an installed agent to another chart or agentk version',
});
