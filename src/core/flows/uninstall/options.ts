import type { OptionId, OptionValues } from '../../options/values.js';

export const UNINSTALL_OPTION_IDS = [
  'kubeconfig',
  'context',
  'namespace',
  'release',
  'gitlabUrl',
  'gitlabCa',
  'project',
  'revokeAgentToken',
  'deleteAgent',
  'deleteConfig',
  'timeoutMs',
  'dryRun',
  'output',
] as const satisfies readonly OptionId[];

export type UninstallOptions = Pick<OptionValues, Exclude<(typeof UNINSTALL_OPTION_IDS)[number], 'output'>> &
  Partial<Pick<OptionValues, 'output'>>;
