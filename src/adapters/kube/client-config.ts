import { readFileSync } from 'node:fs';
import type { Cluster, Context, User } from '@kubernetes/client-node';
import { UsageError } from '../../core/kernel/errors.js';
import type { ClientNode, KubeConfig } from './client-node.js';
import { ExecAuthenticator, parseExecConfig, type ExecClusterInfo } from './exec-credential.js';
import { obj, str, type ResolvedContext } from './kubeconfig.js';
import { reuseConnections } from './reuse-connections.js';

/**
 * Turns one resolved context into a client-node KubeConfig holding only that context. One KubeConfig per
 * context keeps concurrent probes apart (client-node state such as the current context is per instance).
 */

export interface ClientConfigOptions {
  /** Bound for one exec plugin run. */
  execTimeoutMs: number;
  /** Kills a running exec plugin (e.g. when a probe's deadline passes). */
  signal?: AbortSignal;
}

function readTokenFile(file: string, context: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new UsageError(
      'kubeconfig',
      `context "${context}": cannot read tokenFile ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      'fix the kubeconfig',
    );
  }
}

export interface ClientConfig {
  kc: KubeConfig;
  /** The API server URL (for messages). */
  server: string;
  /** Present when the user authenticates through an exec plugin. */
  exec?: ExecAuthenticator;
}

export function buildKubeConfig(k8s: ClientNode, resolved: ResolvedContext, options: ClientConfigOptions): ClientConfig {
  const c = resolved.cluster.body;
  const server = (str(c.server) ?? '').replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new UsageError(
      'kubeconfig',
      `cluster "${resolved.cluster.name}" has an invalid server address "${server}"`,
      'fix the kubeconfig',
    );
  }
  const insecure = c['insecure-skip-tls-verify'] === true;
  const caData = str(c['certificate-authority-data']);
  const caFile = str(c['certificate-authority']);
  const tlsServerName = str(c['tls-server-name']);
  const proxyUrl = str(c['proxy-url']);
  const cluster: Cluster = {
    name: resolved.cluster.name,
    server,
    // kubectl talks plain http when told to; client-node refuses http unless skipTLSVerify is set,
    // which means nothing for a connection without TLS.
    skipTLSVerify: insecure || url.protocol === 'http:',
    ...(caData ? { caData } : {}),
    ...(caFile ? { caFile } : {}),
    ...(tlsServerName ? { tlsServerName } : {}),
    ...(proxyUrl ? { proxyUrl } : {}),
  };

  const u = resolved.user?.body ?? {};
  const userName = resolved.user?.name ?? '';
  const tokenFile = str(u.tokenFile);
  const token = str(u.token) ?? (tokenFile ? readTokenFile(tokenFile, resolved.name) : undefined);
  const certData = str(u['client-certificate-data']);
  const certFile = str(u['client-certificate']);
  const keyData = str(u['client-key-data']);
  const keyFile = str(u['client-key']);
  const username = str(u.username);
  const password = str(u.password);
  const impersonateUser = str(u.as);
  const authProvider = obj(u['auth-provider']);
  const user: User = {
    name: userName,
    ...(token ? { token } : {}),
    ...(certData ? { certData } : {}),
    ...(certFile ? { certFile } : {}),
    ...(keyData ? { keyData } : {}),
    ...(keyFile ? { keyFile } : {}),
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
    ...(impersonateUser ? { impersonateUser } : {}),
    ...(authProvider ? { authProvider } : {}),
    // No `exec` on purpose: our ExecAuthenticator (below) runs the plugin with a timeout.
  };
  const context: Context = {
    name: resolved.name,
    cluster: cluster.name,
    user: userName,
    ...(resolved.namespace ? { namespace: resolved.namespace } : {}),
  };

  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({ clusters: [cluster], users: [user], contexts: [context], currentContext: resolved.name });
  reuseConnections(kc);
  const exec = parseExecConfig(obj(u.exec));
  if (!exec) return { kc, server };
  const info: ExecClusterInfo = {
    server,
    ...(caData ? { 'certificate-authority-data': caData } : {}),
    ...(insecure ? { 'insecure-skip-tls-verify': true } : {}),
    ...(tlsServerName ? { 'tls-server-name': tlsServerName } : {}),
    ...(proxyUrl ? { 'proxy-url': proxyUrl } : {}),
  };
  const authenticator = new ExecAuthenticator(userName, exec, info, {
    timeoutMs: options.execTimeoutMs,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  kc.addAuthenticator(authenticator);
  return { kc, server, exec: authenticator };
}
