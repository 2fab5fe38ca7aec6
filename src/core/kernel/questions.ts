import type { EventScope } from './events.js';

/**
 * Every question a flow asks goes through one Asker. Front ends implement it: the Ink TUI,
 * plain @inquirer/prompts, and the non-interactive flag mode (answers from flags/env).
 * `id` is stable; `flag` names the CLI flag that answers it without asking.
 */

export interface Choice<T extends string = string> {
  value: T;
  label: string;
  /** Dim text after the label (e.g. server URL, "current"). */
  hint?: string;
  /** Shown and not selectable, with the reason. */
  disabled?: string;
}

interface BaseQuestion {
  id: string;
  message: string;
  /** One-line explanation under the prompt. */
  help?: string;
  /** The flag that answers this question in --yes mode, e.g. "--agent". */
  flag?: string;
  /** The target the question is about when a run has several (see EventScope). */
  scope?: EventScope;
  /** Why it is asked again: the previous answer was refused (GitLab rejected the token, the file is not PEM…). */
  problem?: string;
  /** A decision about the whole (the review): asked afresh every time, never replayed from an earlier answer. */
  fresh?: boolean;
  /** An earlier answer can be changed from here: the asker may throw GoBack (Esc) instead of answering. */
  canGoBack?: boolean;
  /** Answering is agreeing to act (rotate-token's pick starts the rotation): asked even when only one answer is possible. */
  consent?: boolean;
}

export interface SelectQuestion<T extends string = string> extends BaseQuestion {
  kind: 'select';
  choices: Choice<T>[];
  default?: T;
  /**
   * Hints that arrive later (e.g. context reachability probes). The TUI re-renders as they come;
   * returns an unsubscribe function.
   */
  liveHints?: (onHint: (value: T, hint: string) => void) => () => void;
}

export interface InputQuestion extends BaseQuestion {
  kind: 'input';
  default?: string;
  placeholder?: string;
  /**
   * A typed confirmation of something destructive (e.g. the release name before an uninstall): what
   * --yes answers. A non-interactive run without --yes refuses instead of taking a default.
   */
  yesAnswer?: string;
  /** Returns an error text shown inline, or undefined when valid. */
  validate?: (value: string) => string | undefined;
}

export interface SecretQuestion extends BaseQuestion {
  kind: 'secret';
  validate?: (value: string) => string | undefined;
}

export interface ConfirmQuestion extends BaseQuestion {
  kind: 'confirm';
  default: boolean;
}

export interface SearchQuestion extends BaseQuestion {
  kind: 'search';
  /** Called as the user types (debounced by the front end). */
  source: (term: string, signal: AbortSignal) => Promise<Choice[]>;
  default?: string;
  validate?: (value: string) => string | undefined;
}

/** Pick any number of choices (e.g. which installs to upgrade). */
export interface MultiSelectQuestion<T extends string = string> extends BaseQuestion {
  kind: 'multiselect';
  choices: Choice<T>[];
  /** Pre-selected values; also what flag mode answers. */
  default?: T[];
  /** Fewest choices that must be picked (default 0). */
  min?: number;
}

export type Question = SelectQuestion | InputQuestion | SecretQuestion | ConfirmQuestion | SearchQuestion | MultiSelectQuestion;

export type AnswerOf<Q extends Question> = Q extends ConfirmQuestion
  ? boolean
  : Q extends MultiSelectQuestion<infer M>
    ? M[]
    : Q extends SelectQuestion<infer T>
      ? T
      : string;

export interface Asker {
  ask<Q extends Question>(question: Q): Promise<AnswerOf<Q>>;
  /**
   * Set when nobody can be asked (flag mode): why, e.g. "--yes was given". A flow then names every
   * answer it lacks at once, before any network call, instead of failing at the first question.
   */
  readonly cannotAsk?: string;
}
