export type FrontEndMode = 'tui' | 'plain' | 'flags';

export interface ModeInputs {
  stdinTTY: boolean;
  stdoutTTY: boolean;
  term: string | undefined;
  plain: boolean;
  yes: boolean;
}

/**
 * Chosen before anything renders: Ink needs raw mode on a real terminal; without one we ask
 * line by line, and without any input we answer from flags alone.
 */
export function chooseMode(m: ModeInputs): FrontEndMode {
  if (m.yes || !m.stdinTTY) return 'flags';
  if (m.plain || !m.stdoutTTY || m.term === 'dumb') return 'plain';
  return 'tui';
}

/** NO_COLOR (any value), --no-color, TERM=dumb, or output that is not a terminal. */
export function wantsColor(env: Record<string, string | undefined>, noColorFlag: boolean, isTTY: boolean): boolean {
  if (noColorFlag || (env.NO_COLOR !== undefined && env.NO_COLOR !== '') || env.TERM === 'dumb') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0';
  return isTTY;
}
