/** Closed sets of answers that options, questions and plans share. */

export const METHODS = ['helm', 'advanced'] as const;
export type Method = (typeof METHODS)[number];

/** What to commit as .gitlab/agents/<agent>/config.yaml. */
export const CREATE_CONFIG_CHOICES = ['none', 'empty', 'user-access', 'ci-access'] as const;
export type CreateConfigChoice = (typeof CREATE_CONFIG_CHOICES)[number];
