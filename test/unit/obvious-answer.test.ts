import { describe, expect, it, vi } from 'vitest';
import type { FlowEvent } from '../../src/core/kernel/events.js';
import type { FlowIO } from '../../src/core/kernel/io.js';
import { AnswerJournal, GoBack } from '../../src/core/kernel/journal.js';
import { obviousAnswer, withObviousAnswers } from '../../src/core/kernel/obvious-answer.js';
import type { AnswerOf, Asker, Question, SelectQuestion } from '../../src/core/kernel/questions.js';

const select = vi.fn(async (config: { choices: { value: string }[] }) => config.choices[0]!.value);
vi.mock('@inquirer/prompts', () => ({ select }));
const { InquirerAsker } = await import('../../src/ui/plain/inquirer-asker.js');

const contexts = (...names: string[]): SelectQuestion => ({
  kind: 'select',
  id: 'context',
  message: 'Which cluster should the agent run in?',
  choices: names.map((n) => ({ value: n, label: n })),
});

describe('a question with one real answer', () => {
  it('is one selectable choice of a select, or of a multiselect that needs one', () => {
    expect(obviousAnswer(contexts('prod'))).toEqual({
      value: 'prod',
      fact: { type: 'info', text: 'Which cluster should the agent run in? prod (the only choice)' },
    });
    const withDisabled: SelectQuestion = {
      ...contexts('prod', 'old'),
      choices: [
        { value: 'prod', label: 'prod' },
        { value: 'old', label: 'old', disabled: 'archived' },
      ],
    };
    expect(obviousAnswer(withDisabled)?.value).toBe('prod');
    expect(obviousAnswer(contexts('prod', 'staging'))).toBeUndefined();
    // Asked again because the only answer was refused: the user must see why.
    expect(obviousAnswer({ ...contexts('prod'), problem: 'context "prod": unreachable' })).toBeUndefined();
    // Answering it starts the work (rotate-token's pick): consent is asked for, even with one answer.
    expect(obviousAnswer({ ...contexts('prod'), consent: true })).toBeUndefined();
    expect(
      obviousAnswer({ kind: 'multiselect', id: 'm', message: 'Which?', min: 1, choices: [{ value: 'a', label: 'a' }] })?.value,
    ).toEqual(['a']);
    expect(obviousAnswer({ kind: 'multiselect', id: 'm', message: 'Which?', choices: [{ value: 'a', label: 'a' }] })).toBeUndefined();
    expect(obviousAnswer({ kind: 'confirm', id: 'c', message: 'Sure?', default: false })).toBeUndefined();
  });

  it('plain mode: never reaches the prompt, and is said as a fact; two choices are still asked', async () => {
    select.mockClear();
    const events: FlowEvent[] = [];
    const io = withObviousAnswers({ asker: new InquirerAsker(10), emit: (e) => events.push(e), signal: new AbortController().signal });
    expect(await io.asker.ask(contexts('prod'))).toBe('prod');
    expect(select).not.toHaveBeenCalled();
    expect(events).toEqual([{ type: 'info', text: 'Which cluster should the agent run in? prod (the only choice)' }]);
    expect(await io.asker.ask(contexts('prod', 'staging'))).toBe('prod');
    expect(select).toHaveBeenCalledTimes(1);
  });

  it('flag mode is left alone: its answers come from flags', async () => {
    const ask = vi.fn(async () => 'from-flag');
    const flags: Asker = { cannotAsk: '--yes was given', ask: ask as Asker['ask'] };
    const io: FlowIO = { asker: flags, emit: () => undefined, signal: new AbortController().signal };
    expect(withObviousAnswers(io)).toBe(io);
  });

  it('is not recorded by the answer journal: Esc at the next question goes back past it', async () => {
    const seen: string[] = [];
    const acts: (string | 'back')[] = ['ns', 'back', 'ns2', 'yes'];
    const asker: Asker = {
      ask: async <Q extends Question>(q: Q): Promise<AnswerOf<Q>> => {
        seen.push(`${q.id}${q.canGoBack ? '+back' : ''}`);
        const act = acts.shift()!;
        if (act === 'back') throw new GoBack();
        return act as AnswerOf<Q>;
      },
    };
    const events: FlowEvent[] = [];
    const journal = new AnswerJournal();
    const phases = async (io: FlowIO) => {
      const ns = await io.asker.ask({ kind: 'input', id: 'namespace', message: 'Namespace' });
      const context = await io.asker.ask(contexts('prod'));
      const ok = await io.asker.ask({ kind: 'input', id: 'ok', message: 'OK?' });
      return { ns, context, ok };
    };
    let result;
    for (;;) {
      try {
        result = await phases(journal.begin({ asker, emit: (e) => events.push(e), signal: new AbortController().signal }));
        break;
      } catch (err) {
        if (!(err instanceof GoBack)) throw err;
        journal.back();
      }
    }
    // Esc at "ok" goes back to the namespace, not to the context nobody was asked.
    expect(seen).toEqual(['namespace', 'ok+back', 'namespace', 'ok+back']);
    expect(result).toEqual({ ns: 'ns2', context: 'prod', ok: 'yes' });
    expect(events.filter((e) => e.type === 'info').length).toBe(2);
  });
});
