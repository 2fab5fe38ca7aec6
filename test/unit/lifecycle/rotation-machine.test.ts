import { describe, expect, it } from 'vitest';
import {
  advance,
  leftAfterCancel,
  oldTokenUsable,
  runRotation,
  startRotation,
  type Phase,
  type RotationState,
} from '../../../src/core/flows/rotate-token/machine.js';

/** Runs the machine; the step named in `fail` (or each in the list, in order) reports a failure, all others succeed. */
async function run(start: RotationState, fail: Phase[] = []): Promise<{ phases: Phase[]; end: RotationState }> {
  const phases: Phase[] = [];
  const failing = [...fail];
  const end = await runRotation(start, async (phase) => {
    phases.push(phase);
    if (failing[0] === phase) {
      failing.shift();
      return { ok: false, message: `${phase} broke` };
    }
    return phase === 'create' ? { ok: true, newTokenId: 81 } : { ok: true };
  });
  return { phases, end };
}

const FORWARD: Phase[] = ['create', 'write-new', 'restart', 'await-ready', 'await-connected', 'revoke-old'];

describe('rotation state machine', () => {
  it('the happy path: new token in, pods restarted, Ready, connected, then the old one revoked', async () => {
    const { phases, end } = await run(startRotation(77));
    expect(phases).toEqual(FORWARD);
    expect(end.phase).toBe('done');
    expect(end.ctx).toMatchObject({ oldTokenId: 77, newTokenId: 81, restarted: true, secretTouched: true, problems: [] });
  });

  it('with two active tokens it revokes the chosen one first', async () => {
    const { phases, end } = await run(startRotation(77, 78));
    expect(phases).toEqual(['revoke-first', ...FORWARD]);
    expect(end.phase).toBe('done');
  });

  // Every failure point before the old token is revoked, and how service comes back.
  it.each<[Phase, Phase[], string]>([
    ['revoke-first', [], 'aborted'],
    ['create', [], 'aborted'],
    ['write-new', ['restore-write-old', 'restore-revoke-new'], 'restored'],
    ['restart', ['restore-write-old', 'restore-revoke-new'], 'restored'],
    ['await-ready', ['restore-write-old', 'restore-restart', 'restore-await-ready', 'restore-revoke-new'], 'restored'],
    ['await-connected', ['restore-write-old', 'restore-restart', 'restore-await-ready', 'restore-revoke-new'], 'restored'],
  ])('a failure at %s restores with %j and ends %s', async (failAt, restore, terminal) => {
    const start = startRotation(77, 78);
    const { phases, end } = await run(start, [failAt]);
    const forward = ['revoke-first', ...FORWARD];
    expect(phases).toEqual([...forward.slice(0, forward.indexOf(failAt) + 1), ...restore]);
    expect(end.phase).toBe(terminal);
    expect(end.ctx.failure).toEqual({ phase: failAt, message: `${failAt} broke` });
    // The old token is never revoked on a failed rotation.
    expect(phases).not.toContain('revoke-old');
    // Service: after a restart, the pods are restarted again onto the old token and watched to Ready.
    if (end.ctx.restarted) expect(phases.slice(-3)).toEqual(['restore-restart', 'restore-await-ready', 'restore-revoke-new']);
  });

  it('the old token failing to revoke still ends done: the new token serves, the old one is left to revoke', async () => {
    const { end } = await run(startRotation(77), ['revoke-old']);
    expect(end.phase).toBe('done');
    expect(end.ctx.problems).toEqual(['old token 77 is still active: revoke-old broke']);
  });

  it.each<[Phase, string]>([
    ['restore-write-old', 'the old token could not be written back'],
    ['restore-restart', 'the pods could not be restarted onto the old token'],
    ['restore-await-ready', 'the pods did not become Ready on the old token'],
  ])('a failure while restoring (%s) ends restore-failed, saying what', async (restoreFail, problem) => {
    const { end } = await run(startRotation(77), ['await-connected', restoreFail]);
    expect(end.phase).toBe('restore-failed');
    expect(end.ctx.problems[0]).toContain(problem);
  });

  it('the new token that cannot be revoked while restoring still counts as restored, with the leftover named', async () => {
    const { end } = await run(startRotation(77), ['await-ready', 'restore-revoke-new']);
    expect(end.phase).toBe('restored');
    expect(end.ctx.problems).toEqual(['new token 81 is still active: restore-revoke-new broke']);
  });

  it('when the token in use was revoked first, a later failure has nothing to go back to', async () => {
    const start = startRotation(77, 77);
    expect(oldTokenUsable(start.ctx)).toBe(false);
    const { phases, end } = await run(start, ['await-ready']);
    expect(phases).not.toContain('restore-write-old');
    expect(end.phase).toBe('restore-failed');
    expect(end.ctx.problems[0]).toContain('was revoked first');
  });

  it('a terminal state stays put; a cancel says what is where', () => {
    const done = { phase: 'done' as const, ctx: startRotation(77).ctx };
    expect(advance(done, { ok: false, message: 'x' })).toBe(done);
    let s = startRotation(77);
    s = advance(s, { ok: true, newTokenId: 81 });
    s = advance(s, { ok: true });
    expect(s.phase).toBe('restart');
    expect(leftAfterCancel(s)).toEqual(['new token 81 exists in GitLab and may be in the Secret', 'old token 77 is still active']);
    s = advance(s, { ok: true });
    expect(leftAfterCancel(s)).toContain('the pods were restarted with the new token');
  });
});
