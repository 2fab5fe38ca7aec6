import type { Options } from 'execa';
import { FlowError } from '../../core/kernel/errors.js';
import type { HelmProcessOptions } from './process-options.js';

export const INSTALL_HINT = 'install helm 3.6 or newer: https://helm.sh/docs/intro/install/';

/** execa costs ~110 ms to import, so it loads on the first helm call, never at start-up. */
export function loadExeca(): Promise<typeof import('execa')> {
  return import('execa');
}

/**
 * Options for every helm call. killDescendants starts helm in its own process group
 * (spawn `detached`) and makes every kill, including cancelSignal, forceKillAfterDelay and
 * the cleanup on our exit, signal the whole group. Unlike `detached: true`, it keeps execa's
 * `cleanup`, which also fires when we die from SIGINT/SIGTERM/SIGHUP, not only on 'exit'.
 */
export function baseOptions(proc: HelmProcessOptions) {
  return {
    env: proc.env,
    extendEnv: false,
    reject: false,
    killDescendants: true,
    cleanup: true,
    forceKillAfterDelay: proc.killGraceMs,
    windowsHide: true,
  } as const satisfies Options;
}

/** The part of an execa result that says whether helm could be started at all. */
export interface SpawnOutcome {
  failed: boolean;
  code?: string;
  exitCode?: number;
  signal?: string;
}

/** A FlowError when helm could not be started (not found, not executable), else undefined. */
export function spawnFailure(proc: HelmProcessOptions, outcome: SpawnOutcome): FlowError | undefined {
  if (!outcome.failed || outcome.exitCode !== undefined || outcome.signal !== undefined) return undefined;
  const onPath = !proc.binary.includes('/');
  switch (outcome.code) {
    case 'ENOENT':
      return new FlowError('helm', onPath ? 'helm not found on PATH' : `helm not found at ${proc.binary}`, INSTALL_HINT);
    case 'EACCES':
      return new FlowError('helm', `cannot run ${proc.binary}: permission denied`, 'make the helm binary executable');
    default:
      return outcome.code === undefined ? undefined : new FlowError('helm', `cannot run ${proc.binary}: ${outcome.code}`, INSTALL_HINT);
  }
}
