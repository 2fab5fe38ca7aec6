import { UsageError } from '../../core/kernel/errors.js';
import type { AnswerOf, Asker, Question } from '../../core/kernel/questions.js';

/**
 * Non-interactive mode (--yes, or no terminal): every question takes its default;
 * one without a default is a usage error naming the flag that answers it.
 */
export class FlagAsker implements Asker {
  constructor(
    private readonly why: string,
    /** --yes was given: it confirms destructive steps (questions with a `yesAnswer`). */
    private readonly yes = false,
  ) {}

  get cannotAsk(): string {
    return this.why;
  }

  async ask<Q extends Question>(q: Q): Promise<AnswerOf<Q>> {
    if (q.kind === 'input' && q.yesAnswer !== undefined) {
      if (this.yes) return q.yesAnswer as AnswerOf<Q>;
      throw new UsageError(
        '--yes',
        `${q.message.replace(/[?:]$/, '')}: not confirmed (${this.why})`,
        'pass --yes to confirm without a terminal',
      );
    }
    if (q.kind !== 'secret' && q.default !== undefined) return q.default as AnswerOf<Q>;
    if (q.kind === 'secret') {
      throw new UsageError(q.flag ?? q.id, `no GitLab token (${this.why})`, 'set GITLAB_TOKEN or log in with `glab auth login`');
    }
    const flag = q.flag ?? q.id;
    throw new UsageError(flag, `${q.message.replace(/\?$/, '')}: no answer (${this.why})`, `pass ${flag}`);
  }
}
