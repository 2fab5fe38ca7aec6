import { FlowError, UsageError } from '../../kernel/errors.js';
import type { FlowIO } from '../../kernel/io.js';
import { Secret } from '../../kernel/secret.js';
import { OPTIONS } from '../../options/catalogue.js';
import { TOKEN_ENV } from '../../options/environment.js';
import { parseGitLabUrl } from '../../plan/urls.js';
import { GitLabApiError, type GitLabClient, type GitLabMetadata, type GitLabUser } from '../../ports/gitlab.js';
import type { Ports } from '../../ports/index.js';

export interface GitLabSession {
  client: GitLabClient;
  user: GitLabUser;
  metadata: GitLabMetadata;
  /** Where the token came from, for the review screen (never the token). */
  tokenSource: string;
}

/** glab's order: flag, then GITLAB_URL / GITLAB_HOST, then glab's configured host, then gitlab.com. */
async function resolveGitLabUrl(flag: string | undefined, ports: Ports): Promise<string> {
  const envName = (OPTIONS.gitlabUrl.env ?? []).find((name) => ports.env[name]);
  const fromEnv = envName ? ports.env[envName] : undefined;
  const raw = flag ?? fromEnv ?? (await ports.glab()).host ?? 'https://gitlab.com';
  const parsed = parseGitLabUrl(raw);
  if ('problem' in parsed) {
    const field = flag !== undefined ? OPTIONS.gitlabUrl.flag : envName ?? 'glab config host';
    throw new UsageError(field, parsed.problem, OPTIONS.gitlabUrl.fix);
  }
  return parsed.url;
}

async function resolveToken(url: string, ports: Ports, io: FlowIO): Promise<{ token: Secret; source: string }> {
  for (const name of TOKEN_ENV) {
    const value = ports.env[name];
    if (value) return { token: new Secret(value.trim()), source: `env ${name}` };
  }
  const host = new URL(url).host;
  const fromGlab = (await ports.glab()).tokenFor(host);
  if (fromGlab) return { token: fromGlab, source: "glab's config" };
  const typed = await io.asker.ask({
    kind: 'secret',
    id: 'gitlab-token',
    flag: TOKEN_ENV[0],
    message: `Personal access token for ${host} (scope api)`,
    help: `Create one at ${url}/-/user_settings/personal_access_tokens. It is used for this run only, never stored.`,
    validate: (v) => (v.trim().length === 0 ? 'the token is empty' : undefined),
  });
  return { token: new Secret(typed.trim()), source: 'prompt' };
}

/** Connects and proves the token works before anything is asked of the project. */
export async function connectGitLab(flagUrl: string | undefined, caPem: string | undefined, ports: Ports, io: FlowIO): Promise<GitLabSession> {
  const url = await resolveGitLabUrl(flagUrl, ports);
  const { token, source } = await resolveToken(url, ports, io);
  const client = ports.gitlab.connect({ url, token, caPem, timeoutMs: 15_000 });
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
