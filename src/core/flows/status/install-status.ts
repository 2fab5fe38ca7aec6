import type { AgentInstall } from '../../discovery/agent-install.js';
import { ago } from '../../plan/lifecycle/ago.js';
import { installName, podHealth } from '../../plan/lifecycle/install-health.js';
import { versionSkew, type VersionSkew } from '../../plan/lifecycle/version-skew.js';
import type { AgentConnection, GitLabAgentToken } from '../../ports/gitlab.js';
import type { AgentRef } from '../../steps/lifecycle/agent-ref.js';

/** A token last used this recently counts as connected when GraphQL cannot show connections. */
const RECENT_USE_MS = 10 * 60_000;

/** What GitLab said about one install's agent; `unknown` says why it could not be asked. */
export type GitLabView =
  { known: true; agent: AgentRef; token?: GitLabAgentToken | null; connections?: AgentConnection[] } | { known: false; why: string };

export type ConnectionState = 'connected' | 'recently-used' | 'not-connected' | 'unknown';

export interface InstallStatus {
  install: AgentInstall;
  gitlab: GitLabView;
  skew: VersionSkew;
  connection: { state: ConnectionState; text: string };
  token: { text: string; ageDays?: number };
  healthy: boolean;
  /** Why it is not healthy, one reason each. */
  problems: string[];
}

function connectionOf(g: GitLabView, now: number): InstallStatus['connection'] {
  if (!g.known) return { state: 'unknown', text: `unknown (${g.why})` };
  const live = g.connections ?? [];
  if (live.length > 0) {
    const versions = [...new Set(live.map((c) => c.version).filter(Boolean))].join(', ');
    return { state: 'connected', text: `${live.length} connection${live.length === 1 ? '' : 's'}${versions ? ` (${versions})` : ''}` };
  }
  const used = g.token?.lastUsedAt;
  if (used && now - Date.parse(used) <= RECENT_USE_MS) return { state: 'recently-used', text: `token used ${ago(used, now)} ago` };
  if (g.token === null) return { state: 'not-connected', text: 'token revoked or gone' };
  return { state: 'not-connected', text: g.connections === undefined ? 'no recent token use' : 'not connected' };
}

function tokenOf(g: GitLabView, install: AgentInstall, now: number): InstallStatus['token'] {
  const id = install.token?.tokenId;
  if (id === undefined) return { text: install.token ? 'id unknown' : '-' };
  if (!g.known || g.token === undefined) return { text: `${id}` };
  if (g.token === null) return { text: `${id} (revoked)` };
  const created = g.token.createdAt ? Date.parse(g.token.createdAt) : NaN;
  const ageDays = Number.isNaN(created) ? undefined : Math.floor((now - created) / 86_400_000);
  const used = ago(g.token.lastUsedAt, now);
  return {
    text: `${id} · ${ago(g.token.createdAt, now) ?? '?'} old · ${used ? `used ${used} ago` : 'never used'}`,
    ...(ageDays !== undefined ? { ageDays } : {}),
  };
}

/** Pure: an install's health from what the cluster and GitLab said. Unknowns are shown, not counted against it. */
export function installStatus(install: AgentInstall, gitlab: GitLabView, gitlabVersion: string | undefined, now: number): InstallStatus {
  const pods = podHealth(install);
  const skew = versionSkew(install.agentVersion, gitlabVersion);
  const connection = connectionOf(gitlab, now);
  const problems: string[] = [];
  if (!pods.healthy) problems.push(`pods: ${pods.text}`);
  if (skew.verdict === 'unsupported') problems.push(`agentk ${install.agentVersion}: ${skew.note}`);
  if (connection.state === 'not-connected') problems.push(`GitLab: ${connection.text}`);
  return { install, gitlab, skew, connection, token: tokenOf(gitlab, install, now), healthy: problems.length === 0, problems };
}

const SKEW_WORD = { ok: 'ok', 'upgrade-recommended': 'upgrade recommended', unsupported: 'unsupported', unknown: '?' } as const;

/** GITLAB last: its "unknown (why)" can be long, and a long last column only runs off the right edge. */
export const STATUS_COLUMNS = ['CONTEXT', 'AGENT', 'READY', 'VERSION', 'TOKEN', 'GITLAB'];

/** One table row; the GitLab agent's name only when it differs from the release. */
export function statusRow(context: string, s: InstallStatus): string[] {
  const agent = s.gitlab.known ? s.gitlab.agent.agentName : s.install.token?.agentName;
  const name = agent && agent !== s.install.release ? `${installName(s.install)} (agent ${agent})` : installName(s.install);
  const version = `${s.install.agentVersion ?? '?'} ${SKEW_WORD[s.skew.verdict]}`;
  return [context, name, podHealth(s.install).text.replace(' Ready', ''), version, s.token.text, s.connection.text];
}

/** A context that did not answer: one row, the reason in the last column. */
export function unreachableRow(context: string, error: string): string[] {
  return [context, '-', '-', '-', '-', `unreachable: ${error}`];
}

/** The one line printed as soon as an install's row is complete (the live part of the table). */
export function statusLine(context: string, s: InstallStatus): string {
  const [, name, ready, version, token, gitlab] = statusRow(context, s);
  return `${s.healthy ? '✓' : '✗'} ${context} · ${name}: ${ready} Ready · agentk ${version} · token ${token} · ${gitlab}`;
}
