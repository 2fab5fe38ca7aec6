import { emitKeypressEvents } from 'node:readline';
import { CancelledError } from '../../core/kernel/errors.js';
import { GoBack } from '../../core/kernel/journal.js';
import type { AnswerOf, Asker, Question, SelectQuestion } from '../../core/kernel/questions.js';
import { safeQuestion } from '../../core/kernel/safe-text.js';

/**
 * A line-by-line prompt cannot redraw hints as they arrive (e.g. context probes), so it waits for them,
 * at most `waitMs`, and shows what it has by then.
 */
function settleHints(subscribe: NonNullable<SelectQuestion['liveHints']>, count: number, waitMs: number): Promise<Map<string, string>> {
  return new Promise((resolve) => {
    const hints = new Map<string, string>();
    let settled = false;
    let unsubscribe: (() => void) | undefined;
    const done = () => {
      settled = true;
      clearTimeout(timer);
      unsubscribe?.();
      resolve(hints);
    };
    const timer = setTimeout(done, waitMs);
    unsubscribe = subscribe((value, hint) => {
      hints.set(value, hint);
      if (hints.size >= count && !settled) done();
    });
    // Every hint may have arrived during subscribe() itself.
    if (settled) unsubscribe();
  });
}

/**
 * Esc while a question allows going back: the prompt is aborted and the flow told GoBack. Readline
 * reports the key on the terminal's input (inquirer reads the same stream); without a terminal there is
 * no Esc to press.
 */
function watchEscape(input: NodeJS.ReadStream, back: AbortController): () => void {
  if (!input.isTTY) return () => undefined;
  emitKeypressEvents(input);
  const onKey = (_text: string | undefined, key: { name?: string } | undefined) => {
    if (key?.name === 'escape') back.abort(new GoBack());
  };
  input.on('keypress', onKey);
  return () => input.off('keypress', onKey);
}

/** --plain (or TERM=dumb): the same questions, asked line by line with @inquirer/prompts. */
export class InquirerAsker implements Asker {
  constructor(
    private readonly hintWaitMs = 5000,
    /** Where prompts draw: stderr when stdout carries a result (--output json). */
    private readonly output?: NodeJS.WritableStream,
  ) {}

  async ask<Q extends Question>(asked: Q): Promise<AnswerOf<Q>> {
    const q = safeQuestion(asked);
    const prompts = await import('@inquirer/prompts');
    const back = new AbortController();
    const input = process.stdin;
    const backable = q.canGoBack === true && input.isTTY;
    const prompt = `${q.help ? `${q.message} (${q.help})` : q.message}${backable ? ' [esc: back]' : ''}`;
    const message = `${q.problem ? `✗ ${q.problem}\n  ` : ''}${prompt}`;
    const validate = (check?: (v: string) => string | undefined) => (v: string) => check?.(v) ?? true;
    const context = { ...(this.output ? { output: this.output } : {}), ...(backable ? { signal: back.signal } : {}) };
    const unwatch = backable ? watchEscape(input, back) : () => undefined;
    try {
      switch (q.kind) {
        case 'select': {
          const hints = q.liveHints ? await settleHints(q.liveHints, q.choices.length, this.hintWaitMs) : new Map<string, string>();
          return (await prompts.select(
            {
              message,
              default: q.default,
              choices: q.choices.map((c) => ({
                value: c.value,
                name: c.label,
                description: hints.get(c.value) ?? c.hint,
                disabled: c.disabled ?? false,
              })),
            },
            context,
          )) as AnswerOf<Q>;
        }
        case 'input':
          return (await prompts.input({ message, default: q.default, validate: validate(q.validate) }, context)) as AnswerOf<Q>;
        case 'secret':
          return (await prompts.password({ message, mask: '*', validate: validate(q.validate) }, context)) as AnswerOf<Q>;
        case 'confirm':
          return (await prompts.confirm({ message, default: q.default }, context)) as AnswerOf<Q>;
        case 'multiselect':
          return (await prompts.checkbox(
            {
              message,
              choices: q.choices.map((c) => ({
                value: c.value,
                name: c.label,
                description: c.hint,
                checked: q.default?.includes(c.value) ?? false,
                disabled: c.disabled ?? false,
              })),
              validate: (picked) => (picked.length >= (q.min ?? 0) ? true : `pick at least ${q.min}`),
            },
            context,
          )) as AnswerOf<Q>;
        case 'search':
          return (await prompts.search(
            {
              message,
              source: async (term, { signal }) => {
                const typed = term?.trim();
                if (!typed) return [];
                const found = await q.source(typed, signal).catch(() => []);
                const own = found.some((c) => c.value === typed) ? [] : [{ value: typed, name: `use "${typed}"` }];
                // Matches first, so Enter on a partial name picks the match; the typed text stays selectable.
                return [...found.map((c) => ({ value: c.value, name: c.label, description: c.hint })), ...own];
              },
            },
            context,
          )) as AnswerOf<Q>;
      }
    } catch (err) {
      if (back.signal.aborted) throw new GoBack();
      if ((err as Error).name === 'ExitPromptError' || (err as Error).name === 'AbortPromptError') throw new CancelledError();
      throw err;
    } finally {
      unwatch();
    }
  }
}
