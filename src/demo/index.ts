import type { Ports } from '../core/ports/index.js';
import { createSimFiles, createSimGlab } from './sim-files.js';
import { createSimGitLab } from './sim-gitlab.js';
import { createSimHelm } from './sim-helm.js';
import { createSimKube } from './sim-kube.js';
import { wallClock } from './time.js';
import { createDemoWorld, type DemoWorld } from './world.js';

export { createDemoWorld, type DemoWorld } from './world.js';

/** GitLab is asked this often (in demo ms) whether the agent connected. */
const CONNECT_POLL_MS = 1000;

export interface DemoPortsOptions {
  /** The world to run against (tests inspect it afterwards); default: a fresh one. */
  world?: DemoWorld;
  /** The environment the flow sees; default: only a demo GITLAB_TOKEN. `{}` makes the flow ask for a token. */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Every port a flow needs, simulated: no cluster, helm binary or GitLab is touched,
 * and nothing is written to disk. The flow runs unchanged against it (`npm run demo`, and the tests).
 */
export function createDemoPorts(options: DemoPortsOptions = {}): Ports {
  const world = options.world ?? createDemoWorld();
  return {
    kube: createSimKube(world),
    gitlab: createSimGitLab(world),
    helm: createSimHelm(world),
    files: createSimFiles(world),
    glab: async () => createSimGlab(),
    // Never the user's own environment: a real GITLAB_TOKEN or GITLAB_HOST must not leak into the demo.
    env: options.env ?? { GITLAB_TOKEN: 'demo-token' },
    // The flow's own timeouts stay the user's (wall time); its polling follows the world's pace.
    clock: wallClock,
    probeTimeoutMs: 3000,
    connectPollMs: CONNECT_POLL_MS / world.time.scale,
  };
}
