import type { OptionId, OptionValues } from '../../options/values.js';

export const STATUS_OPTION_IDS = [
  'kubeconfig',
  'contexts',
  'allContexts',
  'namespace',
  'gitlabUrl',
  'gitlabCa',
  'project',
  'output',
] as const satisfies readonly OptionId[];

export type StatusOptions = Pick<OptionValues, Exclude<(typeof STATUS_OPTION_IDS)[number], 'output'>> &
  Partial<Pick<OptionValues, 'output'>>;
