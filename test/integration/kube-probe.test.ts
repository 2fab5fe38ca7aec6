import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubePort } from '../../src/adapters/kube/index.js';
import { clearExecCredentialCache } from '../../src/adapters/kube/exec-credential.js';
import type { ProbeResult } from '../../src/core/ports/kube/index.js';
import { FakeKube, startFakeKube } from '../fake-kube/server.js';
import { TempDir, closedPort, tokenPlugin, type FixtureContext } from '../fake-kube/kubeconfig.js';

const TOKEN = 'probe-token';
let api: FakeKube;
let dir: TempDir;
let kubeconfig: string;
const port = createKubePort();

/** Running, and not a zombie waiting for its reparented-to init to reap it. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

async function waitFor(check: () => boolean, ms = 3000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return true;
    await sleep(20);
  }
  return check();
}

beforeAll(async () => {
  api = await startFakeKube({ token: TOKEN });
  dir = await TempDir.create();
  const hangPid = path.join(dir.path, 'hang.pid');
  const contexts: FixtureContext[] = [
    { name: 'ok', server: api.url, token: TOKEN },
    { name: 'bad-token', server: api.url, token: 'wrong' },
    { name: 'closed', server: `https://127.0.0.1:${await closedPort()}` },
    { name: 'no-such-host', server: 'https://no-such-host.invalid:6443' },
    { name: 'denied', server: api.url, exec: { command: 'sh', args: ['-c', 'echo denied >&2; echo more >&2; exit 1'] } },
    {
      name: 'hang',
      server: api.url,
      // The plugin's child records its pid: after the timeout the whole process group must be gone.
      exec: { command: 'sh', args: ['-c', `sleep 30 & echo $! > ${hangPid}; wait`] },
    },
    { name: 'plugin-ok', server: api.url, exec: tokenPlugin(TOKEN) },
    {
      name: 'plugin-exec-info',
      server: api.url,
      // Prints the credential only when run non-interactively with KUBERNETES_EXEC_INFO, as kubectl does.
      exec: {
        command: 'sh',
        args: [
          '-c',
          `case "$KUBERNETES_EXEC_INFO" in *'"interactive":false'*) ${tokenPlugin(TOKEN).args[1]};; *) echo "no exec info" >&2; exit 3;; esac`,
        ],
      },
    },
    {
      name: 'not-installed',
      server: api.url,
      exec: { command: 'gke-gcloud-auth-plugin-missing', installHint: 'Install it with gcloud components install.' },
    },
    { name: 'server-hangs', server: `${api.url}/hang` },
  ];
  kubeconfig = await dir.kubeconfig('config', { contexts, currentContext: 'ok' });
  api.hang = (p) => p.startsWith('/hang');
});

afterAll(async () => {
  await api.close();
  await dir.remove();
});

async function probe(context: string, timeoutMs = 3000): Promise<ProbeResult> {
  return port.probe({ kubeconfig }, context, timeoutMs);
}

describe('probe', () => {
  it('reports the server version', async () => {
    const result = await probe('ok');
    expect(result).toMatchObject({ ok: true, serverVersion: 'v1.35.0-fake' });
    expect(result.elapsedMs).toBeLessThan(3000);
  });

  it('401 → unauthorized', async () => {
    expect(await probe('bad-token')).toMatchObject({
      ok: false,
      kind: 'unauthorized',
      message: 'the API server rejected the credentials (401 Unauthorized)',
    });
  });

  it('a closed port → unreachable, quickly', async () => {
    const result = await probe('closed', 5000);
    expect(result).toMatchObject({ ok: false, kind: 'unreachable' });
    expect(result.ok ? '' : result.message).toMatch(/^cannot reach https:\/\/127\.0\.0\.1:\d+: connection refused$/);
    expect(result.elapsedMs).toBeLessThan(1000);
  });

  it('an unknown host → unreachable', async () => {
    const result = await probe('no-such-host', 5000);
    expect(result).toMatchObject({ ok: false, kind: 'unreachable' });
    expect(result.ok ? '' : result.message).toContain('host not found');
  });

  it('an exec plugin that exits non-zero → exec-plugin with its first stderr line', async () => {
    const result = await probe('denied');
    expect(result).toMatchObject({ ok: false, kind: 'exec-plugin', message: 'exec plugin "sh" failed (exit 1): denied' });
  });

  it('a hanging exec plugin → timeout within the bound, and the plugin is killed', async () => {
    const started = Date.now();
    const result = await probe('hang', 800);
    const took = Date.now() - started;
    expect(result).toMatchObject({ ok: false, kind: 'timeout', message: 'exec plugin "sh" did not finish within 0.8s' });
    expect(took).toBeLessThan(800 + 700);
    const pidFile = path.join(dir.path, 'hang.pid');
    expect(existsSync(pidFile)).toBe(true);
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    expect(await waitFor(() => !alive(pid), 1000)).toBe(true);
  });

  it('an exec plugin that prints a token authenticates, with KUBERNETES_EXEC_INFO set', async () => {
    clearExecCredentialCache();
    expect(await probe('plugin-ok')).toMatchObject({ ok: true });
    expect(await probe('plugin-exec-info')).toMatchObject({ ok: true });
  });

  it('a plugin that is not installed → exec-plugin naming it and its install hint', async () => {
    expect(await probe('not-installed')).toMatchObject({
      ok: false,
      kind: 'exec-plugin',
      message: 'exec plugin "gke-gcloud-auth-plugin-missing" was not found: Install it with gcloud components install.',
    });
  });

  it('a server that never answers → timeout', async () => {
    const result = await probe('server-hangs', 600);
    expect(result).toMatchObject({ ok: false, kind: 'timeout' });
    expect(result.ok ? '' : result.message).toBe(`no answer from ${api.url}/hang within 0.6s`);
    expect(result.elapsedMs).toBeLessThan(600 + 400);
  });

  it('an unknown context → a failed probe, not a crash of the whole batch', async () => {
    expect(await probe('nope')).toMatchObject({ ok: false, kind: 'other', message: 'no context "nope" in the kubeconfig' });
  });

  it('probes many contexts concurrently: the batch takes as long as the slowest, not the sum', async () => {
    const timeoutMs = 1000;
    const started = Date.now();
    const results = await Promise.all(['hang', 'server-hangs', 'server-hangs', 'ok', 'closed', 'denied'].map((c) => probe(c, timeoutMs)));
    const took = Date.now() - started;
    expect(results.map((r) => (r.ok ? 'ok' : r.kind))).toEqual(['timeout', 'timeout', 'timeout', 'ok', 'unreachable', 'exec-plugin']);
    expect(took).toBeLessThan(timeoutMs + 800);
  });
});

function haveOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!haveOpenssl())('probe over TLS', () => {
  let tlsApi: FakeKube;
  let tlsDir: TempDir;
  let tlsConfig: string;

  beforeAll(async () => {
    tlsDir = await TempDir.create();
    const key = path.join(tlsDir.path, 'key.pem');
    const cert = path.join(tlsDir.path, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    tlsApi = await startFakeKube({ tls: { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') } });
    const certData = Buffer.from(readFileSync(cert, 'utf8')).toString('base64');
    tlsConfig = await tlsDir.write(
      'config',
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        `- name: untrusted\n  cluster: {server: "${tlsApi.url}"}`,
        `- name: trusted\n  cluster: {server: "${tlsApi.url}", certificate-authority-data: ${certData}}`,
        `- name: insecure\n  cluster: {server: "${tlsApi.url}", insecure-skip-tls-verify: true}`,
        'users:',
        '- name: u\n  user: {token: t}',
        'contexts:',
        '- name: untrusted\n  context: {cluster: untrusted, user: u}',
        '- name: trusted\n  context: {cluster: trusted, user: u}',
        '- name: insecure\n  context: {cluster: insecure, user: u}',
      ].join('\n'),
    );
  });

  afterAll(async () => {
    await tlsApi.close();
    await tlsDir.remove();
  });

  it('a certificate the kubeconfig does not trust → tls', async () => {
    const result = await port.probe({ kubeconfig: tlsConfig }, 'untrusted', 3000);
    expect(result).toMatchObject({ ok: false, kind: 'tls' });
    expect(result.ok ? '' : result.message).toMatch(/^TLS error talking to https:\/\/127\.0\.0\.1:\d+: self[- ]signed certificate/);
  });

  it('the CA from the kubeconfig (or insecure-skip-tls-verify) makes it work', async () => {
    expect(await port.probe({ kubeconfig: tlsConfig }, 'trusted', 3000)).toMatchObject({ ok: true });
    expect(await port.probe({ kubeconfig: tlsConfig }, 'insecure', 3000)).toMatchObject({ ok: true });
  });
});
