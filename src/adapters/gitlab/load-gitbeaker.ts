import type { Agent as HttpAgent } from 'node:http';
import type { Gitlab } from '@gitbeaker/rest';
import type { GitLabConnection } from '../../core/ports/gitlab.js';
import { privateCaDispatcher } from './private-ca.js';

export type GitbeakerApi = Gitlab<false>;

export const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * Builds the gitbeaker client. @gitbeaker/rest is imported here, on the first request, not at
 * module load: it is large and most commands start without talking to GitLab.
 */
export async function loadGitbeaker(connection: GitLabConnection): Promise<GitbeakerApi> {
  const { Gitlab } = await import('@gitbeaker/rest');
  const dispatcher = connection.caPem ? privateCaDispatcher(connection.caPem) : undefined;
  return new Gitlab({
    host: connection.url.replace(/\/+$/, ''),
    // Authorization: Bearer works for personal, project and group access tokens and for the OAuth
    // tokens glab stores. The function runs per request, so the value is revealed only then.
    oauthToken: () => Promise.resolve(connection.token.reveal()),
    queryTimeout: connection.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    // gitbeaker types `agent` as http.Agent but hands it to fetch() as the undici `dispatcher`.
    ...(dispatcher ? { agent: dispatcher as unknown as HttpAgent } : {}),
  });
}
