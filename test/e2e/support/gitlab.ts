import {
  seedStandardWorld,
  startFakeGitLab,
  type FakeGitLab,
  type FakeGitLabOptions,
  type StandardWorld,
} from '../../fake-gitlab/server.js';
import type { RecordedRequest } from '../../fake-gitlab/types.js';
import { simulateKasConnections } from './kas-connections.js';

export interface E2eGitLab {
  gl: FakeGitLab;
  world: StandardWorld;
  /** The Maintainer's api-scope PAT: what GITLAB_TOKEN holds. */
  pat: string;
  /** Requests that change something in GitLab (GraphQL is read-only here). */
  mutations(): RecordedRequest[];
  /** One line per request, for failure messages. */
  log(): string;
  close(): Promise<void>;
}

/**
 * A fake GitLab on 127.0.0.1 with the standard world (group/app, maria the Maintainer). By default
 * agents connect the way real ones do: once their pods in the e2e cluster are Ready, with the token
 * their Secret holds (simulateKasConnections). Passing `connectAfterMs` (even undefined) switches that
 * off for the fake's own timer: a test that plays agentk itself passes `connectAfterMs: undefined`.
 */
export async function startGitLab(options: FakeGitLabOptions = {}): Promise<E2eGitLab> {
  const gl = await startFakeGitLab(options);
  const world = seedStandardWorld(gl.state);
  const kas = 'connectAfterMs' in options ? undefined : simulateKasConnections(gl);
  return {
    gl,
    world,
    pat: world.tokens.api,
    mutations: () => gl.requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD' && r.path !== '/api/graphql'),
    log: () => gl.requests.map((r) => `${r.method} ${r.path} → ${r.status}`).join('\n'),
    close: () => {
      kas?.stop();
      return gl.close();
    },
  };
}

/** Flags every install in these tests shares: the fake GitLab, the local chart repo, bounded waits. */
export function commonFlags(g: E2eGitLab, chartRepo: string): string[] {
  return ['--gitlab-url', g.gl.url, '--chart-repo', chartRepo, '--timeout', '90s', '--connect-timeout', '60s'];
}
