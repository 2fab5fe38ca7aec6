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
  | { known: true; agent: AgentRef; token?: GitLabAgentToken | null; connections?: AgentConnection[] }
  | { known: false; why: string };

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
  return { text: `${id} · ${ago(g.token.createdAt, now) ?? '?'} old · ${used ? `used ${used} ago` : 'never used'}`, ...(ageDays !== undefined ? { ageDays } : {}) };
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

export const STATUS_COLUMNS = ['CONTEXT', 'AGENT', 'PODS', 'VERSION', 'GITLAB', 'TOKEN'];

/** One table row. */
export function statusRow(context: string, s: InstallStatus): string[] {
  const name = s.gitlab.known ? `${installName(s.install)} (${s.gitlab.agent.agentName})` : installName(s.install);
  const version = `${s.install.agentVersion ?? '?'} ${SKEW_WORD[s.skew.verdict]}`;
  return [context, name, podHealth(s.install).text, version, s.connection.text, s.token.text];
}

/** The one line printed as soon as an install's row is complete (the live part of the table). */
export function statusLine(context: string, s: InstallStatus): string {
  const [, name, pods, version, gitlab, token] = statusRow(context, s);
  return `${s.healthy ? '✓' : '✗'} ${context} · ${name}: ${pods} · agentk ${version} · ${gitlab} · token ${token}`;
}
