import type { HelmPort } from '../../core/ports/helm.js';
import { captureHelm } from './capture.js';
import { listReleases } from './list.js';
import { getManifest, getValues, history } from './release-info.js';
import { DEFAULT_KILL_GRACE_MS, type HelmProcessOptions } from './process-options.js';
import { runHelm } from './run.js';
import { helmVersion } from './version.js';

export interface HelmAdapterOptions {
  /** helm binary: a name looked up on env.PATH, or a path. Default `helm`. */
  binary?: string;
  /** The complete environment helm runs with (replaces, not extends, process.env). Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** ms between SIGTERM and SIGKILL when cancelling. Default 3000. Tests shorten it. */
  killGraceMs?: number;
}

/** HelmPort backed by the helm CLI. Nothing heavy loads until the first call. */
export function createHelmPort(options: HelmAdapterOptions = {}): HelmPort {
  const proc: HelmProcessOptions = {
    binary: options.binary ?? 'helm',
    env: options.env ?? process.env,
    killGraceMs: options.killGraceMs ?? DEFAULT_KILL_GRACE_MS,
  };
  return {
    version: () => helmVersion(proc),
    listReleases: (target, namespace) => listReleases(proc, target, namespace),
    getValues: (ref) => getValues(proc, ref),
    getManifest: (ref) => getManifest(proc, ref),
    history: (ref) => history(proc, ref),
    run: (run) => runHelm(proc, run),
    capture: (run) => captureHelm(proc, run),
  };
}

export { parseHelmVersion } from './version.js';
export { listArgs, parseReleases } from './list.js';
export { parseValues } from './release-info.js';
