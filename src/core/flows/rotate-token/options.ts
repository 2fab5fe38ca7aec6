import type { OptionId, OptionValues } from '../../options/values.js';

export const ROTATE_OPTION_IDS = [
  'kubeconfig',
  'context',
  'namespace',
  'release',
  'gitlabUrl',
  'gitlabCa',
  'project',
  'revokeToken',
  'timeoutMs',
  'connectTimeoutMs',
  'output',
] as const satisfies readonly OptionId[];

export type RotateOptions = Pick<OptionValues, Exclude<(typeof ROTATE_OPTION_IDS)[number], 'output'>> &
  Partial<Pick<OptionValues, 'output'>>;

/** What rotation needs of the options, whichever command started it (rotate-token, or status's offer). */
export type RotationSettings = Pick<OptionValues, 'revokeToken' | 'timeoutMs' | 'connectTimeoutMs'>;
