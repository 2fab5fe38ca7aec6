import type { FlowEvent } from './events.js';
import type { EmitFn, FlowIO } from './io.js';
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
}

/**
 * The answers of a run's read-only phases, in the order they were asked, so the phases can run again
 * after the user goes back or changes an answer at the review: what was answered before is replayed
 * without asking, and what comes after keeps its answer as the default (back) or as the answer (edit).
 * Nothing is written before the review, so running the phases again costs reads only.
 */
export class AnswerJournal {
  #entries: Entry[] = [];
  #pass: { replay: Entry[]; target?: string; after: Entry[]; defaults: Map<string, Answer> } = { replay: [], after: [], defaults: new Map() };

  /** The ids answered in the last pass, in order. */
  get ids(): string[] {
    return this.#entries.map((e) => e.id);
  }

  /** Back one question: the last answer is asked again (its old value the default). False when there is none. */
  back(): boolean {
    const last = this.#entries.at(-1);
    if (!last) return false;
    this.#pass = { replay: this.#entries.slice(0, -1), target: last.id, after: [], defaults: new Map(this.#entries.map((e) => [e.id, e.answer])) };
    return true;
  }

  /** Change one answer from the review: asked again; everything after it keeps its answer. */
  edit(id: string): boolean {
    const at = this.#entries.findIndex((e) => e.id === id);
    if (at < 0) return false;
    this.#pass = { replay: this.#entries.slice(0, at), target: id, after: this.#entries.slice(at + 1), defaults: new Map(this.#entries.map((e) => [e.id, e.answer])) };
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
    const record = (id: string, answer: Answer) => this.#entries.push({ id, answer });
    const asker: Asker = {
      cannotAsk: io.asker.cannotAsk,
      ask: async <Q extends Question>(q: Q): Promise<AnswerOf<Q>> => {
        if (!asking && replay[i]?.id === q.id) {
          const answer = replay[i++]!.answer;
          record(q.id, answer);
          return answer as AnswerOf<Q>;
        }
        // Past the target of an edit, the later answers stand while the questions come in the same order.
        if (asking && !diverged && target !== undefined && q.id !== target && after[j]?.id === q.id && this.ids.includes(target)) {
          const answer = after[j++]!.answer;
          record(q.id, answer);
          return answer as AnswerOf<Q>;
        }
        if (target !== undefined && this.ids.includes(target)) diverged = true;
        asking = true;
        gate.open();
        const previous = defaults.get(q.id);
        const withDefault = previous === undefined || q.kind === 'secret' ? q : ({ ...q, default: previous } as Q);
        const answer = await io.asker.ask(withDefault);
        record(q.id, answer as Answer);
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
