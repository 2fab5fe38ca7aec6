import { describe, expect, it } from 'vitest';
import type { FlowEvent } from '../../src/core/kernel/events.js';
import type { FlowIO } from '../../src/core/kernel/io.js';
import { AnswerJournal, GoBack } from '../../src/core/kernel/journal.js';
import type { AnswerOf, Asker, Question } from '../../src/core/kernel/questions.js';

/** What a user does at one question: answer it, take its default, or press Esc. */
type Act = string | boolean | { back: true } | { default: true };
const BACK = { back: true } as const;
const ENTER = { default: true } as const;

interface Seen {
  id: string;
  default: unknown;
  canGoBack: boolean;
}

/** An asker that plays the acts in order and records every question as it was put. */
function scripted(acts: Act[]): { asker: Asker; seen: Seen[] } {
  const seen: Seen[] = [];
  const asker: Asker = {
    ask: async <Q extends Question>(q: Q): Promise<AnswerOf<Q>> => {
      const offered = 'default' in q ? q.default : undefined;
      seen.push({ id: q.id, default: offered, canGoBack: q.canGoBack === true });
      const act = acts.shift();
      if (act === undefined) throw new Error(`no act left for ${q.id}`);
      if (typeof act === 'object' && 'back' in act) throw new GoBack();
      if (typeof act === 'object') return offered as AnswerOf<Q>;
      return act as AnswerOf<Q>;
    },
  };
  return { asker, seen };
}

/** The shape of the install's read-only phases: a derived default, a yes/no, then the review. */
async function phases(io: FlowIO): Promise<{ agent: string; namespace: string; proxy: boolean; review: string }> {
  const agent = await io.asker.ask({ kind: 'input', id: 'agent', message: 'Agent name', default: 'gitlab-agent' });
  io.emit({ type: 'info', text: `agent ${agent} checked` });
  const namespace = await io.asker.ask({ kind: 'input', id: 'namespace', message: 'Namespace', default: `gitlab-agent-${agent}` });
  const proxy = await io.asker.ask({ kind: 'confirm', id: 'proxy', message: 'Proxy?', default: false });
  const review = await io.asker.ask({
    kind: 'select',
    id: 'review',
    fresh: true,
    message: 'Install?',
    choices: [
      { value: 'apply', label: 'Install' },
      { value: 'edit:agent', label: 'Change the agent' },
    ],
  });
  return { agent, namespace, proxy, review };
}

/** The install flow's loop: GoBack goes back one question; "edit:<id>" at the review changes that answer. */
async function run(acts: Act[]) {
  const { asker, seen } = scripted(acts);
  const events: FlowEvent[] = [];
  const io: FlowIO = { asker, emit: (e) => events.push(e), signal: new AbortController().signal };
  const journal = new AnswerJournal();
  for (;;) {
    try {
      const result = await phases(journal.begin(io));
      if (result.review === 'apply') return { result, seen, events };
      journal.edit(result.review.slice('edit:'.length));
    } catch (err) {
      if (!(err instanceof GoBack)) throw err;
      journal.back();
    }
  }
}

describe('answer journal: back one question, or change an answer at the review', () => {
  it('Esc asks the previous question again with the old answer as default; earlier ones are not asked again', async () => {
    const { result, seen } = await run(['first', 'ns-typed', BACK, ENTER, false, 'apply']);
    expect(seen.map((s) => s.id)).toEqual(['agent', 'namespace', 'proxy', 'namespace', 'proxy', 'review']);
    // Back at the namespace: its own typed answer is the default; the agent was replayed, not asked.
    expect(seen[3]).toEqual({ id: 'namespace', default: 'ns-typed', canGoBack: true });
    expect(result).toEqual({ agent: 'first', namespace: 'ns-typed', proxy: false, review: 'apply' });
  });

  it('only a question after an answer offers Esc: the first one has nothing before it', async () => {
    const { seen } = await run(['a', ENTER, ENTER, 'apply']);
    expect(seen.map((s) => s.canGoBack)).toEqual([false, true, true, true]);
  });

  it('an accepted default follows a changed answer; a typed one is kept as the default', async () => {
    // Accepted the derived namespace, then went back twice and renamed the agent.
    const derived = await run(['first', ENTER, BACK, BACK, 'second', ENTER, ENTER, 'apply']);
    expect(derived.seen.filter((s) => s.id === 'namespace').map((s) => s.default)).toEqual([
      'gitlab-agent-first',
      'gitlab-agent-first',
      'gitlab-agent-second',
    ]);
    expect(derived.result.namespace).toBe('gitlab-agent-second');
    // Typed a namespace of one's own: it stays the default after the rename.
    const typed = await run(['first', 'mine', BACK, BACK, 'second', ENTER, ENTER, 'apply']);
    expect(typed.seen.filter((s) => s.id === 'namespace').at(-1)!.default).toBe('mine');
  });

  it('changing an answer at the review asks only that question; the later answers stand, derived ones follow', async () => {
    const { result, seen } = await run(['first', ENTER, true, 'edit:agent', 'second', 'apply']);
    expect(seen.map((s) => s.id)).toEqual(['agent', 'namespace', 'proxy', 'review', 'agent', 'review']);
    expect(seen[4]!.default).toBe('first');
    // The review is asked afresh every pass: its "edit" is never replayed.
    expect(result).toEqual({ agent: 'second', namespace: 'gitlab-agent-second', proxy: true, review: 'apply' });
  });

  it('events of the replayed stretch are not shown twice', async () => {
    const { events } = await run(['first', ENTER, BACK, ENTER, false, 'apply']);
    expect(events.filter((e) => e.type === 'info').map((e) => (e as { text: string }).text)).toEqual(['agent first checked']);
  });
});
