import { UsageError, FlowError } from '../errors.js';
import type { FlowIO } from '../flow/outcome.js';
import { GitLabApiError, type GitLabClient, type GitLabMetadata, type GitLabUser } from '../ports/gitlab.js';
import { Secret } from '../secret.js';
import { parseGitLabUrl } from '../plan/urls.js';
import type { InstallDeps } from './deps.js';

export interface GitLabSession {
  client: GitLabClient;
  user: GitLabUser;
  metadata: GitLabMetadata;
  /** Where the token came from, for the review screen (never the token). */
  tokenSource: string;
}

/** glab's order: flag, then GITLAB_HOST (GITLAB_URL too), then glab's configured host, then gitlab.com. */
export async function resolveGitLabUrl(flag: string | undefined, deps: InstallDeps): Promise<string> {
  const fromEnv = deps.env.GITLAB_URL ?? deps.env.GITLAB_HOST;
  const raw = flag ?? fromEnv ?? (await deps.glab()).host ?? 'https://gitlab.com';
  const parsed = parseGitLabUrl(raw);
  if ('problem' in parsed) {
    const field = flag !== undefined ? '--gitlab-url' : fromEnv !== undefined ? 'GITLAB_HOST' : 'glab config host';
    throw new UsageError(field, parsed.problem, 'e.g. https://gitlab.example.com');
  }
  return parsed.url;
}

async function resolveToken(url: string, deps: InstallDeps, io: FlowIO): Promise<{ token: Secret; source: string }> {
  for (const name of ['GITLAB_TOKEN', 'GITLAB_ACCESS_TOKEN', 'OAUTH_TOKEN']) {
    const value = deps.env[name];
    if (value) return { token: new Secret(value.trim()), source: `env ${name}` };
  }
  const host = new URL(url).host;
  const fromGlab = (await deps.glab()).tokenFor(host);
  if (fromGlab) return { token: fromGlab, source: "glab's config" };
  const typed = await io.asker.ask({
    kind: 'secret',
    id: 'gitlab-token',
    flag: 'GITLAB_TOKEN',
    message: `Personal access token for ${host} (scope api)`,
    help: `Create one at ${url}/-/user_settings/personal_access_tokens. It is used for this run only, never stored.`,
    validate: (v) => (v.trim().length === 0 ? 'the token is empty' : undefined),
  });
  return { token: new Secret(typed.trim()), source: 'prompt' };
}

/** Connects and proves the token works before anything is asked of the project. */
export async function connectGitLab(
  flagUrl: string | undefined,
  caPem: string | undefined,
  deps: InstallDeps,
  io: FlowIO,
): Promise<GitLabSession> {
  const url = await resolveGitLabUrl(flagUrl, deps);
  const { token, source } = await resolveToken(url, deps, io);
  const client = deps.gitlab.connect({ url, token, caPem, timeoutMs: 15_000 });
  let user: GitLabUser;
  try {
    user = await client.currentUser();
  } catch (err) {
    if (err instanceof GitLabApiError && err.status === 401) {
      throw new UsageError(source === 'prompt' ? 'token' : source, `${url} rejected the token (401 Unauthorized)`, 'use a valid, unexpired personal access token with the api scope');
    }
    throw reachError(url, err);
  }
  const scopes = await client.tokenScopes().catch(() => undefined);
  if (scopes && !scopes.includes('api')) {
    throw new UsageError(source === 'prompt' ? 'token' : source, `the token has scopes ${scopes.join(', ')} but registering an agent needs "api"`, 'create a token with the api scope');
  }
  const metadata = await client.metadata().catch((err: unknown) => {
    throw reachError(url, err);
  });
  return { client, user, metadata, tokenSource: source };
}

function reachError(url: string, err: unknown): FlowError {
  if (err instanceof GitLabApiError) return new FlowError('gitlab', `${url} answered ${err.status}: ${err.message}`);
  const message = (err as Error).message ?? String(err);
  const tlsHint = /certificate|self[- ]signed|CERT_/i.test(message)
    ? 'GitLab uses a certificate Node does not trust: pass --gitlab-ca <pem> or set NODE_EXTRA_CA_CERTS'
    : 'check the URL and your network';
  return new FlowError('gitlab', `cannot reach ${url}: ${message}`, tlsHint);
}
