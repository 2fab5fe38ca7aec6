import { FlowError, UsageError } from '../../kernel/errors.js';
import type { FlowIO } from '../../kernel/io.js';
import { Secret } from '../../kernel/secret.js';
import { OPTIONS } from '../../options/catalogue.js';
import { TOKEN_ENV } from '../../options/environment.js';
import { parseGitLabUrl } from '../../plan/urls.js';
import {
  GitLabApiError,
  type GitLabClient,
  type GitLabMetadata,
  GitLabUnreachableError,
  type GitLabUser,
  NotGitLabApiError,
} from '../../ports/gitlab.js';
import type { Ports } from '../../ports/index.js';

export interface GitLabSession {
  client: GitLabClient;
  user: GitLabUser;
  metadata: GitLabMetadata;
  /** Where the token came from, for the review screen (never the token). */
  tokenSource: string;
}

/** A token GitLab refused (401, or too few scopes): in an interactive run another one is asked for. */
export class TokenRefusedError extends UsageError {}

const GITLAB_COM = 'https://gitlab.com';

/**
 * glab's order: flag, then GITLAB_URL or GITLAB_HOST, then glab's configured host; with none of them an
 * interactive run asks (GitLab.com, or one of the hosts glab knows, or another), flag mode takes
 * GitLab.com. `field` names where the URL came from, as the user wrote it, for errors about it.
 */
async function resolveGitLabUrl(flag: string | undefined, ports: Ports, io: FlowIO): Promise<{ url: string; field: string }> {
  const envName = (OPTIONS.gitlabUrl.env ?? []).find((name) => ports.env[name] !== undefined);
  const glab = flag === undefined && envName === undefined ? await ports.glab() : undefined;
  let raw = flag ?? (envName ? ports.env[envName] : undefined) ?? glab?.host;
  const field =
    flag !== undefined ? OPTIONS.gitlabUrl.flag : (envName ?? (glab?.host !== undefined ? 'glab config host' : OPTIONS.gitlabUrl.flag));
  raw ??= io.asker.cannotAsk !== undefined ? GITLAB_COM : await askGitLabUrl(glab?.hosts ?? [], io);
  const parsed = parseGitLabUrl(raw);
  if ('problem' in parsed) throw new UsageError(field, parsed.problem, OPTIONS.gitlabUrl.fix);
  return { url: parsed.url, field };
}

async function askGitLabUrl(known: string[], io: FlowIO): Promise<string> {
  const others = known.filter((h) => parseGitLabUrl(h) && h !== GITLAB_COM);
  const picked = await io.asker.ask({
    kind: 'select',
    id: 'gitlab-url',
    flag: OPTIONS.gitlabUrl.flag,
    message: 'Which GitLab holds the project?',
    help: 'GITLAB_HOST or --gitlab-url answer this without asking.',
    choices: [
      { value: GITLAB_COM, label: 'GitLab.com' },
      ...others.map((h) => ({ value: h, label: h, hint: "from glab's config" })),
      { value: 'other', label: 'another GitLab…', hint: 'self-managed or Dedicated' },
    ],
    default: GITLAB_COM,
  });
  if (picked !== 'other') return picked;
  return io.asker.ask({
    kind: 'input',
    id: 'gitlab-url-other',
    flag: OPTIONS.gitlabUrl.flag,
    message: 'GitLab URL',
    placeholder: 'https://gitlab.example.com',
    validate: (v) => {
      const parsed = parseGitLabUrl(v);
      return 'problem' in parsed ? parsed.problem : undefined;
    },
  });
}

/**
 * Why a token cannot be one: it must be a single word of printable ASCII. Anything else (a second line
 * of a file, a stray quote, a control character) would travel in a header or be echoed whole by an
 * HTTP library's error, so it is refused before any request.
 */
export function tokenProblem(value: string): string | undefined {
  if (value.length === 0) return 'the token is empty';
  // eslint-disable-next-line no-control-regex -- the point is to find them
  if (/[\u0000-\u001f\u007f]/.test(value)) return 'the token holds a line break or a control character (a second line of a file?)';
  if (/\s/.test(value)) return 'the token holds a space';
  if (/[^\x21-\x7e]/.test(value)) return 'the token holds a character that is not printable ASCII';
  return undefined;
}

function checkedToken(value: string, field: string, fix: string): Secret {
  const token = new Secret(value);
  const problem = tokenProblem(value);
  if (problem) throw new UsageError(field, problem, fix);
  return token;
}

async function resolveToken(url: string, ports: Ports, io: FlowIO): Promise<{ token: Secret; source: string }> {
  for (const name of TOKEN_ENV) {
    const value = ports.env[name];
    // Surrounding white space (a trailing newline from $(cat file)) is forgiven; anything inside is not.
    if (value?.trim()) return { token: checkedToken(value.trim(), name, `set ${name} to the token alone`), source: `env ${name}` };
  }
  const glab = await ports.glab();
  const fromGlab = glab.tokenFor(new URL(url).host);
  if (fromGlab) {
    const field = `glab's config${glab.path ? ` (${glab.path})` : ''}`;
    return { token: checkedToken(fromGlab.reveal(), field, 'log in again with `glab auth login`'), source: "glab's config" };
  }
  return promptToken(url, io);
}

async function promptToken(url: string, io: FlowIO, problem?: string): Promise<{ token: Secret; source: string }> {
  const typed = await io.asker.ask({
    kind: 'secret',
    id: 'gitlab-token',
    flag: TOKEN_ENV[0],
    message: `Personal access token for ${new URL(url).host} (scope api)`,
    help: `Create one at ${url}/-/user_settings/personal_access_tokens. It is used for this run only, never stored.`,
    problem,
    validate: (v) => tokenProblem(v.trim()),
  });
  return { token: checkedToken(typed.trim(), 'token', 'paste the token alone'), source: 'prompt' };
}

/**
 * Connects and proves the token works before anything is asked of the project. A token GitLab refuses
 * is asked for again, with the reason, in an interactive run; flag mode ends with exit 2. `readOnly`: the
 * command only reads (troubleshoot), so a read_api token will do.
 */
export async function connectGitLab(
  flagUrl: string | undefined,
  caPem: string | undefined,
  ports: Ports,
  io: FlowIO,
  readOnly = false,
): Promise<GitLabSession> {
  const { url, field } = await resolveGitLabUrl(flagUrl, ports, io);
  let token = await resolveToken(url, ports, io);
  for (;;) {
    try {
      return await signIn(url, field, token, caPem, ports, io, readOnly);
    } catch (err) {
      if (!(err instanceof TokenRefusedError) || io.asker.cannotAsk !== undefined) throw err;
      token = await promptToken(url, io, `${err.field === 'token' ? 'that token' : err.field}: ${err.message}`);
    }
  }
}

async function signIn(
  url: string,
  field: string,
  { token, source }: { token: Secret; source: string },
  caPem: string | undefined,
  ports: Ports,
  io: FlowIO,
  readOnly: boolean,
): Promise<GitLabSession> {
  const client = ports.gitlab.connect({ url, token, caPem, timeoutMs: 15_000, signal: io.signal });
  const tokenField = source === 'prompt' ? 'token' : source;
  let user: GitLabUser;
  try {
    user = await client.currentUser();
  } catch (err) {
    if (err instanceof GitLabApiError && err.status === 401) {
      throw new TokenRefusedError(
        tokenField,
        `${url} rejected the token (401 Unauthorized)`,
        'use a valid, unexpired personal access token with the api scope',
      );
    }
    // A token with only e.g. read_repository: GET /user needs api, read_api or read_user.
    if (err instanceof GitLabApiError && err.status === 403 && err.message.startsWith('insufficient_scope')) {
      throw new TokenRefusedError(tokenField, `${url} refused the token: ${err.message}`, 'create a token with the api scope');
    }
    if (err instanceof NotGitLabApiError) {
      throw new UsageError(
        field,
        `${url} is not a GitLab API: ${err.message}`,
        'pass the address of the GitLab instance, e.g. https://gitlab.example.com',
      );
    }
    throw gitLabFailure(url, err);
  }
  const scopes = await client.tokenScopes().catch(() => undefined);
  // A read-only command (troubleshoot) makes do with read_api.
  if (scopes && readOnly && !scopes.includes('api') && !scopes.includes('read_api')) {
    throw new TokenRefusedError(
      tokenField,
      `the token has scopes ${scopes.join(', ')} but reading agents needs "read_api" or "api"`,
      'create a token with the read_api or api scope',
    );
  }
  if (scopes && !readOnly && !scopes.includes('api')) {
    throw new TokenRefusedError(
      tokenField,
      `the token has scopes ${scopes.join(', ')} but registering an agent needs "api"`,
      'create a token with the api scope',
    );
  }
  const metadata = await client.metadata().catch((err: unknown) => {
    throw gitLabFailure(url, err);
  });
  return { client, user, metadata, tokenSource: source };
}

const SERVER_FAILURE_HINT =
  'GitLab (or a proxy in front of it) is failing: retry in a few minutes; if it persists, ask your GitLab admin (status page, logs)';

/**
 * A GitLab request that failed for reasons other than the input: a FlowError whose hint becomes the
 * `Next:` line. Every 5xx and every network failure has one; other statuses speak for themselves.
 */
function gitLabFailure(url: string, err: unknown): FlowError {
  if (err instanceof GitLabApiError) {
    const where = err.path ? ` on ${err.path}` : '';
    return new FlowError(
      'gitlab',
      `${url} answered ${err.status}${where}: ${err.message}`,
      err.status >= 500 ? SERVER_FAILURE_HINT : undefined,
    );
  }
  if (err instanceof NotGitLabApiError) {
    return new FlowError(
      'gitlab',
      `${url} did not answer like GitLab's API: ${err.message}`,
      'a proxy or login page may stand in front of GitLab: check the URL, or try from a network that reaches GitLab directly',
    );
  }
  const message = (err as Error).message ?? String(err);
  const tlsHint = /certificate|self[- ]signed|CERT_/i.test(message)
    ? 'GitLab uses a certificate Node does not trust: pass --gitlab-ca <pem> or set NODE_EXTRA_CA_CERTS'
    : 'check the URL and your network';
  return new FlowError('gitlab', `cannot reach ${url}: ${message}`, tlsHint);
}

/** For errors from later steps: GitLab's 5xx, network and non-API answers get gitLabFailure's hint; others pass. */
export function explainGitLabError(url: string | undefined, err: unknown): unknown {
  if (url === undefined) return err;
  const serverFailure = err instanceof GitLabApiError && err.status >= 500;
  return serverFailure || err instanceof GitLabUnreachableError || err instanceof NotGitLabApiError ? gitLabFailure(url, err) : err;
}
