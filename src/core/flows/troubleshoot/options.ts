import type { OptionId, OptionValues } from '../../options/values.js';

/** Read-only unless --fix: no wait, so neither --timeout nor --connect-timeout; --output json prints the diagnosis. */
export const TROUBLESHOOT_OPTION_IDS = [
  'kubeconfig',
  'context',
  'namespace',
  'release',
  'gitlabUrl',
  'gitlabCa',
  'project',
  'fix',
  'revokeToken',
  'bundle',
  'output',
] as const satisfies readonly OptionId[];

export type TroubleshootOptions = Pick<OptionValues, Exclude<(typeof TROUBLESHOOT_OPTION_IDS)[number], 'output'>> &
  Partial<Pick<OptionValues, 'output'>>;
