/**
 * Token rotation as an explicit state machine, pure so every failure point can be tested: which
 * step comes next, and how service is put back when a step fails before the old token is revoked.
 *
 * Forward: [revoke-first] → create → write-new → restart → await-ready → await-connected → revoke-old → done.
 * Restore (a failure before revoke-old): restore-write-old → (restore-restart → restore-await-ready, only when
 * the pods were restarted) → restore-revoke-new → restored. A failure while restoring ends in restore-failed,
 * with what is where; a failure of revoke-old itself ends in done with a warning (the new token works).
 */

type ForwardPhase = 'revoke-first' | 'create' | 'write-new' | 'restart' | 'await-ready' | 'await-connected' | 'revoke-old';
type RestorePhase = 'restore-write-old' | 'restore-restart' | 'restore-await-ready' | 'restore-revoke-new';
export type Phase = ForwardPhase | RestorePhase;
/** aborted: failed before anything changed; done: rotated; restored: the old token serves again; restore-failed: neither. */
export type Terminal = 'done' | 'aborted' | 'restored' | 'restore-failed';

export interface RotationContext {
  oldTokenId: number;
  /** Revoked before creating the new token (GitLab allows two active); may be the one in use. */
  revokeFirstId?: number;
  newTokenId?: number;
  /** The pods were restarted since the new token went into the Secret. */
  restarted: boolean;
  /** The Secret may hold the new token (a write was attempted). */
  secretTouched: boolean;
  /** The step that failed and why, once one did. */
  failure?: { phase: Phase; message: string };
  /** What went wrong while restoring, or left over (e.g. the new token could not be revoked). */
  problems: string[];
}

export type RotationState = { phase: Phase; ctx: RotationContext } | { phase: Terminal; ctx: RotationContext };

export type StepResult = { ok: true; newTokenId?: number } | { ok: false; message: string };

/** Whether the old token can still be put back: it was not the one revoked first. */
export const oldTokenUsable = (ctx: RotationContext) => ctx.revokeFirstId !== ctx.oldTokenId;

export function startRotation(oldTokenId: number, revokeFirstId?: number): RotationState {
  const ctx: RotationContext = {
    oldTokenId,
    restarted: false,
    secretTouched: false,
    problems: [],
    ...(revokeFirstId !== undefined ? { revokeFirstId } : {}),
  };
  return { phase: revokeFirstId !== undefined ? 'revoke-first' : 'create', ctx };
}

const FORWARD: Record<ForwardPhase, ForwardPhase | 'done'> = {
  'revoke-first': 'create',
  create: 'write-new',
  'write-new': 'restart',
  restart: 'await-ready',
  'await-ready': 'await-connected',
  'await-connected': 'revoke-old',
  'revoke-old': 'done',
};

export const isTerminal = (s: RotationState): s is { phase: Terminal; ctx: RotationContext } =>
  s.phase === 'done' || s.phase === 'aborted' || s.phase === 'restored' || s.phase === 'restore-failed';

const isRestore = (p: Phase): p is RestorePhase => p.startsWith('restore-');

/** Where the restore starts: nothing to restore before the Secret was touched; without a usable old token, nothing to restore to. */
function enterRestore(ctx: RotationContext): RotationState {
  if (!ctx.secretTouched) return ctx.newTokenId !== undefined ? { phase: 'restore-revoke-new', ctx } : { phase: 'aborted', ctx };
  if (!oldTokenUsable(ctx)) {
    return {
      phase: 'restore-failed',
      ctx: {
        ...ctx,
        problems: [...ctx.problems, `the old token ${ctx.oldTokenId} was revoked first (your choice), so there is nothing to put back`],
      },
    };
  }
  return { phase: 'restore-write-old', ctx };
}

/** The next state after the current step reported `result`. */
export function advance(state: RotationState, result: StepResult): RotationState {
  if (isTerminal(state)) return state;
  const { phase } = state;
  let ctx = { ...state.ctx };
  if (!isRestore(phase)) {
    if (phase === 'write-new') ctx.secretTouched = true;
    if (phase === 'restart') ctx.restarted = result.ok ? true : ctx.restarted;
    if (result.ok) {
      if (phase === 'create' && result.newTokenId !== undefined) ctx.newTokenId = result.newTokenId;
      return { phase: FORWARD[phase], ctx };
    }
    ctx.failure = { phase, message: result.message };
    // The old token could not be revoked, but the new one serves: done, with the old one left to revoke.
    if (phase === 'revoke-old')
      return {
        phase: 'done',
        ctx: { ...ctx, problems: [...ctx.problems, `old token ${ctx.oldTokenId} is still active: ${result.message}`] },
      };
    if (phase === 'revoke-first' || phase === 'create') return { phase: 'aborted', ctx };
    return enterRestore(ctx);
  }
  switch (phase) {
    case 'restore-write-old':
      if (!result.ok)
        return {
          phase: 'restore-failed',
          ctx: { ...ctx, problems: [...ctx.problems, `the old token could not be written back: ${result.message}`] },
        };
      return ctx.restarted ? { phase: 'restore-restart', ctx } : { phase: 'restore-revoke-new', ctx };
    case 'restore-restart':
      if (!result.ok)
        return {
          phase: 'restore-failed',
          ctx: { ...ctx, problems: [...ctx.problems, `the pods could not be restarted onto the old token: ${result.message}`] },
        };
      return { phase: 'restore-await-ready', ctx };
    case 'restore-await-ready':
      if (!result.ok)
        return {
          phase: 'restore-failed',
          ctx: { ...ctx, problems: [...ctx.problems, `the pods did not become Ready on the old token: ${result.message}`] },
        };
      return { phase: 'restore-revoke-new', ctx };
    case 'restore-revoke-new':
      if (!result.ok) ctx = { ...ctx, problems: [...ctx.problems, `new token ${ctx.newTokenId} is still active: ${result.message}`] };
      return { phase: 'restored', ctx };
  }
}

/** Runs the machine with an executor of each step (the flow's ports; a script in tests). */
export async function runRotation(
  start: RotationState,
  execute: (phase: Phase, ctx: RotationContext) => Promise<StepResult>,
): Promise<RotationState> {
  let state = start;
  while (!isTerminal(state)) state = advance(state, await execute(state.phase, state.ctx));
  return state;
}

/** Where each token and the pods are after a cancel at this state: for the "what is left" lines. */
export function leftAfterCancel(state: RotationState): string[] {
  const { ctx } = state;
  const lines: string[] = [];
  if (ctx.newTokenId !== undefined)
    lines.push(`new token ${ctx.newTokenId} exists in GitLab${ctx.secretTouched ? ' and may be in the Secret' : ''}`);
  if (oldTokenUsable(ctx)) lines.push(`old token ${ctx.oldTokenId} is still active${ctx.secretTouched ? '' : ' and still in the Secret'}`);
  if (ctx.restarted) lines.push('the pods were restarted with the new token');
  return lines;
}
