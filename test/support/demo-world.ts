/**
 * Reading the demo world in tests: the same simulated cluster, GitLab and helm `npm run demo` plays,
 * built fast (a large timeScale) and inspected afterwards. What reached GitLab and helm is in
 * `world.record`; misbehaviour is asked for through `world.faults` (see src/demo/faults.ts).
 */
import { createDemoWorld, type DemoWorld } from '../../src/demo/index.js';
import type { DemoFaults } from '../../src/demo/world.js';

/** The demo's story played 200× faster: an install takes tens of milliseconds instead of ten seconds. */
export const FAST = 200;

export function fastWorld(faults: DemoFaults = {}): DemoWorld {
  return createDemoWorld({ timeScale: FAST, faults });
}

/** GitLab requests that change something: every method but GET, except the read-only GraphQL query. */
export function gitlabWrites(world: DemoWorld): string[] {
  return world.record.gitlab.filter((r) => !r.startsWith('GET ') && r !== 'POST /api/graphql');
}

/** Every cluster's namespaces, token Secrets and releases, as comparable text. */
export function clusterState(world: DemoWorld): Record<string, { namespaces: string[]; secrets: string[]; releases: string[] }> {
  return Object.fromEntries(
    [...world.clusters.entries()].map(([context, c]) => [
      context,
      {
        namespaces: [...c.namespaces.keys()].sort(),
        secrets: [...c.namespaces.entries()].flatMap(([ns, n]) => [...n.secrets.keys()].map((s) => `${ns}/${s}`)).sort(),
        releases: c.releases.map((r) => `${r.namespace}/${r.name}#${r.revisions.length}`).sort(),
      },
    ]),
  );
}

/** What the demo's clusters hold before anything runs. */
export const SEEDED_CLUSTERS = clusterState(createDemoWorld());

export function tokenSecret(world: DemoWorld, context: string, namespace: string, name: string) {
  return world.clusters.get(context)?.namespaces.get(namespace)?.secrets.get(name);
}

export function projectFile(world: DemoWorld, projectId: number, path: string, branch = 'main'): string | undefined {
  return world.gitlab.projects
    .find((p) => p.id === projectId)
    ?.files.get(branch)
    ?.get(path);
}
