import { spawn } from 'node:child_process';
import type { RequestOptions } from 'node:https';
import { obj, str, type RawObject } from './kubeconfig.js';
import { withoutGitLabSecrets } from '../../core/options/environment.js';

/**
 * Exec credential plugins (aws eks get-token, gke-gcloud-auth-plugin, kubelogin…), run by us instead of
 * client-node: its ExecAuth has no timeout, cannot be cancelled and leaves a hung plugin running. Ours
 * kills the plugin's whole process group on timeout or abort, and reports the plugin's own stderr.
 */

export interface ExecConfig {
  command: string;
  args: string[];
  env: { name: string; value: string }[];
  apiVersion?: string;
  installHint?: string;
  provideClusterInfo: boolean;
}

/** The cluster fields a plugin may ask for (provideClusterInfo), as kubectl passes them. */
export interface ExecClusterInfo {
  server: string;
  'certificate-authority-data'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'tls-server-name'?: string;
  'proxy-url'?: string;
}

export interface ExecCredential {
  token?: string;
  clientCertificateData?: string;
  clientKeyData?: string;
  /** Epoch ms after which the credential must be fetched again; absent = valid for this process. */
  expiresAt?: number;
}

export type ExecFailure = 'failed' | 'not-found' | 'bad-output' | 'timeout';

export class ExecPluginError extends Error {
  constructor(
    readonly command: string,
    readonly failure: ExecFailure,
    /** One line for the user: the plugin's first stderr line, or what went wrong. */
    readonly detail: string,
    readonly exitCode?: number,
  ) {
    super(`exec plugin "${command}" ${describe(failure, detail, exitCode)}`);
    this.name = 'ExecPluginError';
  }
}

function describe(failure: ExecFailure, detail: string, exitCode?: number): string {
  switch (failure) {
    case 'not-found':
      return `was not found${detail ? `: ${detail}` : ''}`;
    case 'timeout':
      return detail;
    case 'bad-output':
      return `printed no usable ExecCredential: ${detail}`;
    case 'failed':
      return `failed${exitCode !== undefined ? ` (exit ${exitCode})` : ''}${detail ? `: ${detail}` : ''}`;
  }
}

export function parseExecConfig(raw: RawObject | undefined): ExecConfig | undefined {
  const command = str(raw?.command);
  if (!raw || !command) return undefined;
  const args = Array.isArray(raw.args) ? raw.args.filter((a): a is string => typeof a === 'string') : [];
  const env = (Array.isArray(raw.env) ? raw.env : [])
    .map((e) => obj(e))
    .filter((e): e is RawObject => e !== undefined && typeof e.name === 'string')
    .map((e) => ({ name: String(e.name), value: typeof e.value === 'string' ? e.value : '' }));
  const apiVersion = str(raw.apiVersion);
  const installHint = str(raw.installHint);
  return {
    command,
    args,
    env,
    ...(apiVersion ? { apiVersion } : {}),
    ...(installHint ? { installHint } : {}),
    provideClusterInfo: raw.provideClusterInfo === true,
  };
}

const MAX_OUTPUT = 1024 * 1024;
const KILL_GRACE_MS = 2000;

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '') ?? ''
  );
}

function parseCredential(command: string, stdout: string): ExecCredential {
  let doc: unknown;
  try {
    doc = JSON.parse(stdout);
  } catch {
    throw new ExecPluginError(command, 'bad-output', stdout.trim() === '' ? 'empty output' : 'output is not JSON');
  }
  const status = obj(obj(doc)?.status);
  const token = str(status?.token);
  const clientCertificateData = str(status?.clientCertificateData);
  const clientKeyData = str(status?.clientKeyData);
  if (!token && !(clientCertificateData && clientKeyData)) {
    throw new ExecPluginError(command, 'bad-output', 'no token and no client certificate in status');
  }
  const expiry = str(status?.expirationTimestamp);
  const expiresAt = expiry ? Date.parse(expiry) : undefined;
  return {
    ...(token ? { token } : {}),
    ...(clientCertificateData ? { clientCertificateData } : {}),
    ...(clientKeyData ? { clientKeyData } : {}),
    // An unparseable expiry would otherwise cache a credential forever; treat it as already expired.
    ...(expiry ? { expiresAt: Number.isNaN(expiresAt) ? 0 : expiresAt } : {}),
  };
}

/** Runs the plugin once. Rejects with ExecPluginError; kills the plugin (and its children) on timeout or abort. */
export function runExecPlugin(
  exec: ExecConfig,
  cluster: ExecClusterInfo | undefined,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<ExecCredential> {
  const { command } = exec;
  // A credential plugin is someone else's program: it never sees the GitLab token.
  const env: NodeJS.ProcessEnv = withoutGitLabSecrets(process.env);
  for (const e of exec.env) env[e.name] = e.value;
  if (exec.apiVersion) {
    env.KUBERNETES_EXEC_INFO = JSON.stringify({
      apiVersion: exec.apiVersion,
      kind: 'ExecCredential',
      // stdin belongs to the TUI, so plugins must not prompt.
      spec: { interactive: false, ...(exec.provideClusterInfo && cluster ? { cluster } : {}) },
    });
  }
  return new Promise<ExecCredential>((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new ExecPluginError(command, 'timeout', 'was cancelled before it started'));
      return;
    }
    // Own process group (and session): we can kill grandchildren such as `sh -c 'sleep …'`,
    // and a plugin cannot grab the terminal the TUI is drawing on.
    const detached = process.platform !== 'win32';
    const child = spawn(command, exec.args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached });
    let stdout = '';
    let stderr = '';
    let settled = false;

    const kill = (): void => {
      const signalGroup = (sig: NodeJS.Signals): void => {
        try {
          if (detached && child.pid !== undefined) process.kill(-child.pid, sig);
          else child.kill(sig);
        } catch {
          // Already gone.
        }
      };
      signalGroup('SIGTERM');
      setTimeout(() => signalGroup('SIGKILL'), KILL_GRACE_MS).unref();
    };
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      outcome();
    };
    const fail = (err: ExecPluginError): void =>
      finish(() => {
        kill();
        // A killed plugin's orphans may hold the pipes open; do not let them keep us alive.
        child.stdout.destroy();
        child.stderr.destroy();
        reject(err);
      });
    const onAbort = (): void => fail(new ExecPluginError(command, 'timeout', 'did not finish in time'));
    const timer = setTimeout(
      () => fail(new ExecPluginError(command, 'timeout', `did not finish within ${Math.round(options.timeoutMs / 100) / 10}s`)),
      options.timeoutMs,
    );
    options.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (stdout.length < MAX_OUTPUT) stdout += chunk;
    });
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < MAX_OUTPUT) stderr += chunk;
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') {
        fail(new ExecPluginError(command, 'not-found', firstLine(exec.installHint ?? '') || 'not on PATH'));
      } else {
        fail(new ExecPluginError(command, 'failed', err.message));
      }
    });
    child.on('close', (code, sig) => {
      if (code !== 0) {
        const detail = firstLine(stderr) || (sig ? `killed by ${sig}` : '');
        finish(() => reject(new ExecPluginError(command, 'failed', detail, code ?? undefined)));
        return;
      }
      try {
        const credential = parseCredential(command, stdout);
        finish(() => resolve(credential));
      } catch (err) {
        finish(() => reject(err as ExecPluginError));
      }
    });
  });
}

/** Credentials outlive one KubeConfig (the probe's), so the cluster step does not run the plugin again. */
const cache = new Map<string, ExecCredential>();
/** Refresh a little before expiry, so a request does not race the deadline. */
const EXPIRY_SKEW_MS = 10_000;

export function clearExecCredentialCache(): void {
  cache.clear();
}

/**
 * A client-node Authenticator for one user's exec plugin. It is registered with kc.addAuthenticator and the
 * user's `exec` is removed from the client-node User, so client-node's own ExecAuth never runs.
 */
export class ExecAuthenticator {
  #inflight: Promise<ExecCredential> | undefined;
  readonly #key: string;

  constructor(
    private readonly userName: string,
    private readonly exec: ExecConfig,
    private readonly cluster: ExecClusterInfo | undefined,
    private readonly options: { timeoutMs: number; signal?: AbortSignal },
  ) {
    this.#key = JSON.stringify([exec, exec.provideClusterInfo ? cluster : undefined]);
  }

  get command(): string {
    return this.exec.command;
  }

  /** True while the plugin runs: lets a caller whose deadline passed blame the plugin, not the network. */
  get running(): boolean {
    return this.#inflight !== undefined;
  }

  isAuthProvider(user: { name: string }): boolean {
    return user.name === this.userName;
  }

  async applyAuthentication(_user: unknown, opts: RequestOptions): Promise<void> {
    const credential = await this.credential();
    if (credential.token) {
      // client-node always hands us a plain header object (applyAuthorizationHeader creates it).
      const headers = (opts.headers ??= {}) as Record<string, string>;
      headers.Authorization = `Bearer ${credential.token}`;
    }
    if (credential.clientCertificateData) opts.cert = credential.clientCertificateData;
    if (credential.clientKeyData) opts.key = credential.clientKeyData;
  }

  credential(): Promise<ExecCredential> {
    const cached = cache.get(this.#key);
    if (cached && (cached.expiresAt === undefined || cached.expiresAt - EXPIRY_SKEW_MS > Date.now())) {
      return Promise.resolve(cached);
    }
    // Concurrent requests (e.g. a batch of access reviews) share one plugin run.
    this.#inflight ??= runExecPlugin(this.exec, this.cluster, this.options)
      .then((credential) => {
        cache.set(this.#key, credential);
        return credential;
      })
      .finally(() => {
        this.#inflight = undefined;
      });
    return this.#inflight;
  }
}
