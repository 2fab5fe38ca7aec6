import type { GitLabSession } from '../../steps/target/connect-gitlab.js';
import type { ConnectionState, InstallStatus } from './install-status.js';
import type { ContextLook } from './look.js';

/** What `status --output json` prints (README documents it). */
export interface StatusResult {
  schemaVersion: 1;
  /** Every install healthy and every context reachable: exit code 0. */
  healthy: boolean;
  gitlab: { url: string; version: string } | null;
  contexts: {
    name: string;
    reachable: boolean;
    error?: string;
    installs: {
      namespace: string;
      release?: string;
      method: string;
      chart?: string;
      releaseStatus?: string;
      agentVersion?: string;
      pods?: { ready: number; desired: number };
      version: { verdict: string; note: string };
      agent?: { id: number; name: string; project: string };
      connection: { state: ConnectionState; text: string; connections?: number };
      token?: { id?: number; createdAt?: string; lastUsedAt?: string | null; ageDays?: number };
      healthy: boolean;
      problems: string[];
    }[];
  }[];
  /** When a token was rotated from the status view. */
  rotation?: unknown;
}

function installJson(s: InstallStatus): StatusResult['contexts'][number]['installs'][number] {
  const i = s.install;
  const g = s.gitlab.known ? s.gitlab : undefined;
  return {
    namespace: i.namespace,
    ...(i.release ? { release: i.release } : {}),
    method: i.method,
    ...(i.chart ? { chart: i.chart } : {}),
    ...(i.releaseStatus ? { releaseStatus: i.releaseStatus } : {}),
    ...(i.agentVersion ? { agentVersion: i.agentVersion } : {}),
    ...(i.deployment ? { pods: { ready: i.deployment.ready, desired: i.deployment.desired } } : {}),
    version: { verdict: s.skew.verdict, note: s.skew.note },
    ...(g ? { agent: { id: g.agent.agentId, name: g.agent.agentName, project: g.agent.projectPath } } : {}),
    connection: { ...s.connection, ...(g?.connections ? { connections: g.connections.length } : {}) },
    ...(i.token
      ? {
          token: {
            ...(i.token.tokenId !== undefined ? { id: i.token.tokenId } : {}),
            ...(g?.token ? { createdAt: g.token.createdAt, lastUsedAt: g.token.lastUsedAt ?? null } : {}),
            ...(s.token.ageDays !== undefined ? { ageDays: s.token.ageDays } : {}),
          },
        }
      : {}),
    healthy: s.healthy,
    problems: s.problems,
  };
}

export function statusResult(looks: { look: ContextLook; statuses: InstallStatus[] }[], session: GitLabSession | undefined): StatusResult {
  const contexts = looks.map(({ look, statuses }) =>
    look.reachable
      ? { name: look.context, reachable: true, installs: statuses.map(installJson) }
      : { name: look.context, reachable: false, error: look.error, installs: [] },
  );
  return {
    schemaVersion: 1,
    healthy: contexts.every((c) => c.reachable && c.installs.every((i) => i.healthy)),
    gitlab: session ? { url: session.client.url, version: session.metadata.version } : null,
    contexts,
  };
}
