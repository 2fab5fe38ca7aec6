import { notYet } from './not-yet.js';

export const troubleshootCommand = notYet({
  id: 'troubleshoot',
  aliases: ['doctor'],
  label: 'Troubleshoot',
  summary: 'Diagnose an installed agent',
  description: 'Diagnose an installed agent (reconcile errors, connection, pods)',
});
