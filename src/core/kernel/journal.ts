import type { FlowEvent } from './events.js';
import type { EmitFn, FlowIO } from './io.js';
import { obviousAnswer } from './obvious-answer.js';
import type { AnswerOf, Asker, Question } from './questions.js';

/** Thrown by an Asker when the user asks to go back one question (Esc). */
export class GoBack extends Error {
  constructor() {
    super('back');
    this.name = 'GoBack';
  }
}

type Answer = string | boolean | string[];

interface Entry {
  id: string;
  answer: Answer;
  /** The user's own answer, not the default the flow offered: kept when the question is asked again. */
  own: boolean;
}

const same = (a: Answer, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The default the flow offers (a secret has none). */
const offered = (q: Question): unknown => ('default' in q ? q.default : undefined);

/**
 * What an earlier answer becomes when its question is asked again: the user's own answer stands; an
 * accepted default follows the new default (a namespace derived from a changed agent name).
 */
const carried = (e: Entry, q: Question): Answer => (e.own || offered(q) === undefined ? e.answer : (offered(q) as Answer));

/**
 * The defaults of a pass: the question gone back to offers its old answer; the others only what the user
 * typed, in this pass or one before it (back twice: the answer two questions on is not forgotten).
 */
function defaultsOf(earlier: Map<string, Entry>, entries: Entry[], target: string): Map<string, Answer> {
  const latest = new Map(earlier);
  for (const e of entries) latest.set(e.id, e);
  return new Map([...latest.values()].filter((e) => e.own || e.id === target).map((e) => [e.id, e.answer]));
}

/**
 * The answers of a run's read-only phases, in the order they were asked, so the phases can run again
 * after the user goes back or changes an answer at the review: what was answered before is replayed
 * without asking, and what comes after keeps its answer as the default (back) or as the answer (edit).
 * Nothing is written before the review, so running the phases again costs reads only.
 */
export class AnswerJournal {
  #entries: Entry[] = [];
  #pass: { replay: Entry[]; target?: string; after: Entry[]; defaults: Map<string, Answer> } = {
    replay: [],
    after: [],
    defaults: new Map(),
  };
  /** Every answer given so far, the latest per question: what later passes offer as defaults. */
  #given = new Map<string, Entry>();

  /** The ids answered in the last pass, in order. */
  get ids(): string[] {
    return this.#entries.map((e) => e.id);
  }

  /** Back one question: the last answer is asked again (its old value the default). False when there is none. */
  back(): boolean {
    const last = this.#entries.at(-1);
    if (!last) return false;
    this.#pass = {
      replay: this.#entries.slice(0, -1),
      target: last.id,
      after: [],
      defaults: defaultsOf(this.#given, this.#entries, last.id),
    };
    return true;
  }

  /** Change one answer from the review: asked again; everything after it keeps its answer. */
  edit(id: string): boolean {
    const at = this.#entries.findIndex((e) => e.id === id);
    if (at < 0) return false;
    this.#pass = {
      replay: this.#entries.slice(0, at),
      target: id,
      after: this.#entries.slice(at + 1),
      defaults: defaultsOf(this.#given, this.#entries, id),
    };
    return true;
  }

  /**
   * The FlowIO of the next pass: an asker that replays, then asks; events muted while replaying (they
   * were shown the first time), except the steps still running when the first real question comes.
   */
  begin(io: FlowIO): FlowIO {
    const { replay, after, defaults } = this.#pass;
    const target = this.#pass.target;
    this.#pass = { replay: [], after: [], defaults: new Map() };
    this.#entries = [];
    const gate = new ReplayGate(io.emit, replay.length > 0);
    let i = 0;
    let j = 0;
    let asking = replay.length === 0;
    let diverged = false;
    const record = (q: Question, answer: Answer, own = offered(q) === undefined || !same(answer, offered(q))): void => {
      this.#entries.push({ id: q.id, answer, own });
      this.#given.set(q.id, { id: q.id, answer, own });
    };
    const asker: Asker = {
      cannotAsk: io.asker.cannotAsk,
      ask: async <Q extends Question>(q: Q): Promise<AnswerOf<Q>> => {
        // One real answer: said as a fact (muted while replaying), neither asked nor recorded, so going back skips it.
        const obvious = io.asker.cannotAsk === undefined ? obviousAnswer(q) : undefined;
        if (obvious) {
          gate.emit(obvious.fact);
          return obvious.value as AnswerOf<Q>;
        }
        const backable = (question: Q): Q => (this.#entries.length > 0 ? { ...question, canGoBack: true } : question);
        // A decision about the whole (the review) is neither replayed nor recorded: it is asked every pass.
        if (q.fresh) {
          asking = true;
          gate.open();
          return io.asker.ask(backable(q));
        }
        if (!asking && replay[i]?.id === q.id) {
          const entry = replay[i++]!;
          record(q, entry.answer, entry.own);
          return entry.answer as AnswerOf<Q>;
        }
        // Past the target of an edit, the later answers stand while the questions come in the same order.
        if (asking && !diverged && target !== undefined && q.id !== target && after[j]?.id === q.id && this.ids.includes(target)) {
          const entry = after[j++]!;
          const answer = carried(entry, q);
          record(q, answer, entry.own);
          return answer as AnswerOf<Q>;
        }
        if (target !== undefined && this.ids.includes(target)) diverged = true;
        asking = true;
        gate.open();
        const previous = defaults.get(q.id);
        const withDefault = previous === undefined || q.kind === 'secret' ? q : ({ ...q, default: previous } as Q);
        const answer = await io.asker.ask(backable(withDefault));
        record(q, answer as Answer);
        return answer;
      },
    };
    return { ...io, asker, emit: gate.emit };
  }
}

/** Events of a replayed stretch: dropped, but for the steps still running when real asking starts. */
class ReplayGate {
  readonly #running = new Map<string, FlowEvent>();
  #open: boolean;
  constructor(
    private readonly out: EmitFn,
    replaying: boolean,
  ) {
    this.#open = !replaying;
  }
  readonly emit: EmitFn = (event) => {
    if (this.#open) return this.out(event);
    if (event.type !== 'step') return;
    if (event.status === 'running') this.#running.set(event.step, event);
    else this.#running.delete(event.step);
  };
  open(): void {
    if (this.#open) return;
    this.#open = true;
    for (const e of this.#running.values()) this.out(e);
    this.#running.clear();
  }
}
