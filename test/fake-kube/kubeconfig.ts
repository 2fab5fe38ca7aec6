import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';

/** Kubeconfig fixtures in temp dirs, for the kube adapter's tests. */

export interface FixtureContext {
  name: string;
  server: string;
  /** Cluster name; defaults to the context name. */
  cluster?: string;
  /** User name; defaults to the context name. */
  user?: string;
  namespace?: string;
  token?: string;
  exec?: { command: string; args?: string[]; apiVersion?: string; env?: { name: string; value: string }[]; installHint?: string };
  insecureSkipTlsVerify?: boolean;
  /** PEM of the CA the cluster's certificate is checked against (written base64, as certificate-authority-data). */
  caPem?: string;
}

export interface FixtureFile {
  contexts: FixtureContext[];
  currentContext?: string;
}

export function kubeconfigYaml(file: FixtureFile): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    ...(file.currentContext ? { 'current-context': file.currentContext } : {}),
    clusters: file.contexts.map((c) => ({
      name: c.cluster ?? c.name,
      cluster: {
        server: c.server,
        ...(c.insecureSkipTlsVerify ? { 'insecure-skip-tls-verify': true } : {}),
        ...(c.caPem ? { 'certificate-authority-data': Buffer.from(c.caPem).toString('base64') } : {}),
      },
    })),
    users: file.contexts.map((c) => ({
      name: c.user ?? c.name,
      user: {
        ...(c.token ? { token: c.token } : {}),
        ...(c.exec ? { exec: { apiVersion: 'client.authentication.k8s.io/v1', ...c.exec } } : {}),
      },
    })),
    contexts: file.contexts.map((c) => ({
      name: c.name,
      context: { cluster: c.cluster ?? c.name, user: c.user ?? c.name, ...(c.namespace ? { namespace: c.namespace } : {}) },
    })),
  });
}

export class TempDir {
  private constructor(readonly path: string) {}

  static async create(prefix = 'kube-test-'): Promise<TempDir> {
    return new TempDir(await mkdtemp(path.join(tmpdir(), prefix)));
  }

  async write(name: string, content: string): Promise<string> {
    const file = path.join(this.path, name);
    await writeFile(file, content, { mode: 0o600 });
    return file;
  }

  async kubeconfig(name: string, file: FixtureFile): Promise<string> {
    return this.write(name, kubeconfigYaml(file));
  }

  async remove(): Promise<void> {
    await rm(this.path, { recursive: true, force: true });
  }
}

/** A TCP port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A shell exec plugin that prints an ExecCredential with this token. */
export function tokenPlugin(token: string, expiration?: string): { command: string; args: string[] } {
  const status = JSON.stringify({ token, ...(expiration ? { expirationTimestamp: expiration } : {}) });
  const credential = `{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":${status}}`;
  return { command: 'sh', args: ['-c', `printf '%s' '${credential}'`] };
}
