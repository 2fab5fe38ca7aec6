import type { FlowEvent, LayerProgress, LedgerEntry, ReviewDiff, ReviewItem, StepStatus } from '../../../core/kernel/events.js';
import type { FlowOutcome } from '../../../core/kernel/outcome.js';
import { safeOutcome } from '../../../core/kernel/safe-text.js';
import { settledOutcome, type Settlement } from '../../../core/kernel/to-outcome.js';
import type { ReadinessSnapshot } from '../../../core/readiness/snapshot.js';
import type { ReadinessVerdict } from '../../../core/readiness/diagnose.js';

/**
 * Pure view state of a running flow, built from FlowEvents. Log lines are excluded on
 * purpose: they go to the log ring buffer, so a flood never means one React update per line.
 */

/** Printed once into Ink's <Static> area and never redrawn. */
export type StaticItem =
  | { kind: 'step'; key: string; title: string; status: Exclude<StepStatus, 'running'>; detail?: string; seconds?: number }
  | { kind: 'info' | 'warn'; key: string; text: string }
  | { kind: 'answer'; key: string; message: string; display: string }
  /** Every layer finished: their counts, printed once per diagnosis. */
  | { kind: 'layers'; key: string; layers: LayerProgress[] }
  /** The review is printed once, above the live area, so a tall plan never makes Ink redraw the screen. */
  | { kind: 'review'; key: string; items: ReviewItem[]; command: string; diffs?: ReviewDiff[]; commandTitle?: string };

export interface LiveStep {
  id: string;
  title: string;
  detail?: string;
  startedAt: number;
  /** Time this step spent waiting for the user's answer (not counted as its own). */
  waitedMs: number;
  /** What works meanwhile (e.g. "helm"): what a cancel stops. */
  activity?: string;
  /** 'stopped': the flow ended while this step still said running. */
  status: 'running' | 'stopped';
}

export interface FlowView {
  staticItems: StaticItem[];
  liveSteps: LiveStep[];
  readiness?: { snapshot: ReadinessSnapshot; verdict: ReadinessVerdict };
  /** The doctor's layers while some are still pending or running. */
  layers?: LayerProgress[];
  ledger: LedgerEntry[];
  answered: number;
  /** The id of the first question answered: asked again (after going back), Esc there leaves for the menu. */
  firstQuestion?: string;
  /** Set once start() settled (or the user stopped waiting for it); never replaced after. */
  outcome?: FlowOutcome;
  /** Since when a question waits for the user: the steps' timers stand still meanwhile. */
  waitingSince?: number;
  /** Monotonic counter for unique Static keys. */
  seq: number;
}

/** How long a step has worked by `now`: time waiting for the user's answers left out. */
export function activeMs(step: LiveStep, now: number, waitingSince: number | undefined): number {
  const waitingNow = waitingSince === undefined ? 0 : Math.max(0, now - Math.max(waitingSince, step.startedAt));
  return Math.max(0, now - step.startedAt - step.waitedMs - waitingNow);
}

export type ViewEvent = Exclude<FlowEvent, { type: 'log' }>;

export type FlowAction =
  | { type: 'event'; event: ViewEvent; at: number }
  | { type: 'answered'; id: string; message: string; display: string }
  /** A question appeared (`waiting`) or went away: the running steps' timers stop or go on. */
  | { type: 'waiting'; waiting: boolean; at: number }
  /** `note` is added to the outcome's details (e.g. "quit before helm had stopped"). */
  | { type: 'settled'; settlement: Settlement; userCancelled: boolean; note?: string };

export const initialFlowView: FlowView = { staticItems: [], liveSteps: [], ledger: [], answered: 0, seq: 0 };

function applyStep(view: FlowView, event: Extract<FlowEvent, { type: 'step' }>, at: number): FlowView {
  const existing = view.liveSteps.find((s) => s.id === event.step);
  if (event.status === 'running') {
    const step: LiveStep = {
      id: event.step,
      title: event.title,
      detail: event.detail,
      activity: event.activity,
      startedAt: existing?.startedAt ?? at,
      waitedMs: existing?.waitedMs ?? 0,
      status: 'running',
    };
    const liveSteps = existing ? view.liveSteps.map((s) => (s.id === event.step ? step : s)) : [...view.liveSteps, step];
    return { ...view, liveSteps };
  }
  const finished: StaticItem = {
    kind: 'step',
    key: `step-${event.step}-${view.seq}`,
    title: event.title,
    status: event.status,
    detail: event.detail,
    seconds: existing ? Math.round(activeMs(existing, at, view.waitingSince) / 1000) : undefined,
  };
  return {
    ...view,
    seq: view.seq + 1,
    liveSteps: view.liveSteps.filter((s) => s.id !== event.step),
    staticItems: [...view.staticItems, finished],
  };
}

function applyEvent(view: FlowView, event: ViewEvent, at: number): FlowView {
  switch (event.type) {
    case 'step':
      return applyStep(view, event, at);
    case 'info':
    case 'warn':
      return {
        ...view,
        seq: view.seq + 1,
        staticItems: [...view.staticItems, { kind: event.type, key: `${event.type}-${view.seq}`, text: event.text }],
      };
    case 'readiness':
      return { ...view, readiness: { snapshot: event.snapshot, verdict: event.verdict } };
    case 'layers': {
      // Live while any layer works; once all are done, printed once and the live panel goes.
      const finished = event.layers.every((l) => l.state === 'done' || l.state === 'skipped');
      if (!finished) return { ...view, layers: event.layers };
      return {
        ...view,
        layers: undefined,
        seq: view.seq + 1,
        staticItems: [...view.staticItems, { kind: 'layers', key: `layers-${view.seq}`, layers: event.layers }],
      };
    }
    case 'ledger': {
      // Same object reported twice (e.g. created, later revoked) keeps one row with the latest state.
      const id = (e: LedgerEntry) => `${e.kind}:${e.id}`;
      const ledger = view.ledger.some((e) => id(e) === id(event.entry))
        ? view.ledger.map((e) => (id(e) === id(event.entry) ? event.entry : e))
        : [...view.ledger, event.entry];
      return { ...view, ledger };
    }
    case 'review':
      return {
        ...view,
        staticItems: [
          ...view.staticItems,
          {
            kind: 'review',
            key: `review-${view.seq}`,
            items: event.items,
            command: event.command,
            ...(event.diffs ? { diffs: event.diffs } : {}),
            ...(event.commandTitle ? { commandTitle: event.commandTitle } : {}),
          },
        ],
      };
    case 'rewind': {
      // The questions run again: what was live belongs to the pass being left.
      const text = event.reason === 'back' ? 'back to the previous question' : `changing ${event.question ?? 'an answer'}`;
      return {
        ...view,
        seq: view.seq + 1,
        liveSteps: [],
        readiness: undefined,
        layers: undefined,
        staticItems: [...view.staticItems, { kind: 'info', key: `rewind-${view.seq}`, text: `↩ ${text}` }],
      };
    }
  }
}

export function flowReducer(view: FlowView, action: FlowAction): FlowView {
  switch (action.type) {
    case 'event':
      return applyEvent(view, action.event, action.at);
    case 'answered':
      return {
        ...view,
        seq: view.seq + 1,
        answered: view.answered + 1,
        firstQuestion: view.firstQuestion ?? action.id,
        staticItems: [
          ...view.staticItems,
          { kind: 'answer', key: `answer-${action.id}-${view.seq}`, message: action.message, display: action.display },
        ],
      };
    case 'waiting': {
      if (action.waiting) return view.waitingSince === undefined ? { ...view, waitingSince: action.at } : view;
      const since = view.waitingSince;
      if (since === undefined) return view;
      const liveSteps = view.liveSteps.map((s) => ({ ...s, waitedMs: s.waitedMs + Math.max(0, action.at - Math.max(since, s.startedAt)) }));
      return { ...view, liveSteps, waitingSince: undefined };
    }
    case 'settled': {
      if (view.outcome) return view;
      // The ledger seen in events stands in when the flow rejected without an outcome.
      const outcome = safeOutcome(settledOutcome(action.settlement, action.userCancelled, view.ledger));
      return {
        ...view,
        outcome: action.note ? { ...outcome, details: [...outcome.details, action.note] } : outcome,
        liveSteps: view.liveSteps.map((s) => ({ ...s, status: 'stopped' as const })),
      };
    }
  }
}
