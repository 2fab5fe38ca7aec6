import { notYet } from './not-yet.js';

export const statusCommand = notYet({
  id: 'status',
  aliases: [],
  label: 'Status',
  summary: 'Agents in a cluster and their connection',
  description: 'Show the agents in a cluster and whether GitLab sees them',
});
