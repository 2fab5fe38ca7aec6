/** Closed sets of answers that options, questions and plans share. */

export const METHODS = ['helm', 'flux', 'advanced', 'receptive'] as const;
export type Method = (typeof METHODS)[number];

/** What to commit as .gitlab/agents/<agent>/config.yaml. */
export const CREATE_CONFIG_CHOICES = ['none', 'empty', 'user-access', 'ci-access'] as const;
export type CreateConfigChoice = (typeof CREATE_CONFIG_CHOICES)[number];

/** What `--export DIR --format …` writes instead of installing. */
export const EXPORT_FORMATS = ['helm-values', 'flux', 'kustomize', 'terraform'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
