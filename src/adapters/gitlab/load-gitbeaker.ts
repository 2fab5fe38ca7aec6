import type { Agent as HttpAgent } from 'node:http';
import type { Gitlab } from '@gitbeaker/rest';
import type { GitLabConnection } from '../../core/ports/gitlab.js';
import { privateCaDispatcher } from './private-ca.js';

/** The resources this tool calls, and the raw requester for what gitbeaker does not wrap. */
const RESOURCES = [
  'Agents',
  'Branches',
  'Commits',
  'MergeRequests',
  'Metadata',
  'PersonalAccessTokens',
  'Projects',
  'RepositoryFiles',
  'Users',
] as const;

export type GitbeakerApi = Pick<Gitlab<false>, (typeof RESOURCES)[number] | 'requester'>;

export const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * gitbeaker's client-side limiter: its default table has ~17 globs, each a rate limiter built per resource and
 * matched by compiling every glob on every request; `new Gitlab()` builds ~200 resources. The patterns that differ
 * from the default are endpoints this tool never calls (imports, exports, notes, archives, jobs, members), so the
 * default alone is the same limit at a fraction of the cost.
 */
const RATE_LIMITS = { '**': 3000 };

/**
 * Builds the gitbeaker client: only the resources used. @gitbeaker/rest is imported here, on the first request,
 * not at module load: it is large and most commands start without talking to GitLab.
 */
export async function loadGitbeaker(connection: GitLabConnection): Promise<GitbeakerApi> {
  const gitbeaker = await import('@gitbeaker/rest');
  const dispatcher = connection.caPem ? privateCaDispatcher(connection.caPem) : undefined;
  const options = {
    host: connection.url.replace(/\/+$/, ''),
    // Authorization: Bearer works for personal, project and group access tokens and for the OAuth
    // tokens glab stores. The function runs per request, so the value is revealed only then.
    oauthToken: () => Promise.resolve(connection.token.reveal()),
    queryTimeout: connection.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    rateLimits: RATE_LIMITS,
    // gitbeaker types `agent` as http.Agent but hands it to fetch() as the undici `dispatcher`.
    ...(dispatcher ? { agent: dispatcher as unknown as HttpAgent } : {}),
  };
  const api = Object.fromEntries(RESOURCES.map((name) => [name, new gitbeaker[name](options)])) as Omit<GitbeakerApi, 'requester'>;
  return { ...api, requester: api.Users.requester };
}
