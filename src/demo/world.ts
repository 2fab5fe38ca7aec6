import { emptyRecord, type DemoFaults } from './faults.js';
import { seedBrokenInstall, seedClusters, seedFiles, seedGitLab } from './seed.js';
import { createDemoTime } from './time.js';
import type { DemoCluster, DemoRelease, DemoRevision, DemoWorld } from './types.js';

export type * from './types.js';
export type * from './faults.js';

/**
 * The one simulated world behind every demo port, and the in-memory world of the flow and component
 * tests. The ports cannot see each other (the kube port never sees helm's values, GitLab never sees the
 * cluster), so what one writes the others read from here: sim-helm records releases with their values,
 * sim-kube derives the pods from them, sim-gitlab derives "the agent connected" from a Ready release
 * whose Secret holds an active token. Tests build it with a large timeScale, set `faults` and read
 * `record` and the world's state afterwards.
 */

export interface DemoWorldOptions {
  /** >1 plays the simulation faster than real time (tests); default 1. */
  timeScale?: number;
  /** Faults from the start (tests); they can also be set on `world.faults` later. */
  faults?: DemoFaults;
  /** Add the demo's broken install (see seedBrokenInstall): `npm run demo` shows Troubleshoot on it. */
  brokenInstall?: boolean;
}

export function createDemoWorld(options: DemoWorldOptions = {}): DemoWorld {
  const time = createDemoTime(options.timeScale ?? 1);
  const listeners = new Set<() => void>();
  const clusters = seedClusters(time);
  if (options.brokenInstall) seedBrokenInstall(clusters, time);
  return {
    time,
    clusters,
    gitlab: seedGitLab(),
    files: seedFiles(),
    record: emptyRecord(),
    faults: { ...options.faults },
    changed: () => {
      for (const listener of [...listeners]) listener();
    },
    onChange: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export function findRelease(cluster: DemoCluster, namespace: string, name: string): DemoRelease | undefined {
  return cluster.releases.find((r) => r.namespace === namespace && r.name === name);
}

export function currentRevision(release: DemoRelease): DemoRevision {
  const last = release.revisions[release.revisions.length - 1];
  if (!last) throw new Error(`release ${release.name} has no revision`);
  return last;
}
