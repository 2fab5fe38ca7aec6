import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ExecAuthenticator,
  ExecPluginError,
  clearExecCredentialCache,
  parseExecConfig,
  runExecPlugin,
  type ExecConfig,
} from '../../src/adapters/kube/exec-credential.js';
import { TempDir } from '../fake-kube/kubeconfig.js';

let dir: TempDir;
beforeAll(async () => {
  dir = await TempDir.create();
});
afterAll(async () => {
  await dir.remove();
});
beforeEach(() => clearExecCredentialCache());

const sh = (script: string): ExecConfig => ({ command: 'sh', args: ['-c', script], env: [], provideClusterInfo: false });
const credential = (status: object) =>
  `printf '%s' '${JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status })}'`;

describe('parseExecConfig', () => {
  it('reads command, args, env, apiVersion and installHint', () => {
    expect(
      parseExecConfig({
        apiVersion: 'client.authentication.k8s.io/v1',
        command: 'aws',
        args: ['eks', 'get-token', 7],
        env: [{ name: 'AWS_PROFILE', value: 'prod' }, { bogus: true }],
        installHint: 'install aws',
        provideClusterInfo: true,
      }),
    ).toEqual({
      command: 'aws',
      args: ['eks', 'get-token'],
      env: [{ name: 'AWS_PROFILE', value: 'prod' }],
      apiVersion: 'client.authentication.k8s.io/v1',
      installHint: 'install aws',
      provideClusterInfo: true,
    });
    expect(parseExecConfig({ args: [] })).toBeUndefined();
  });
});

describe('runExecPlugin', () => {
  it("never hands the GitLab token to a credential plugin (someone else's program)", async () => {
    const out = path.join(dir.path, 'env.txt');
    process.env.GITLAB_TOKEN = 'glpat-fake-must-not-leak-0001';
    process.env.OAUTH_TOKEN = 'fake-oauth-must-not-leak-0002';
    try {
      await runExecPlugin(sh(`env > ${out}; ${credential({ token: 't' })}`), undefined, { timeoutMs: 5000 });
    } finally {
      delete process.env.GITLAB_TOKEN;
      delete process.env.OAUTH_TOKEN;
    }
    const seen = readFileSync(out, 'utf8');
    expect(seen).toContain('PATH=');
    expect(seen).not.toContain('must-not-leak');
  });

  it('returns token, client certificate and expiry; passes env and KUBERNETES_EXEC_INFO', async () => {
    const out = path.join(dir.path, 'info.json');
    const config: ExecConfig = {
      ...sh(
        `printf '%s' "$KUBERNETES_EXEC_INFO" > ${out}; test "$GREETING" = hi && ${credential({ token: 't', clientCertificateData: 'C', clientKeyData: 'K', expirationTimestamp: '2030-01-01T00:00:00Z' })}`,
      ),
      env: [{ name: 'GREETING', value: 'hi' }],
      apiVersion: 'client.authentication.k8s.io/v1',
      provideClusterInfo: true,
    };
    const cred = await runExecPlugin(config, { server: 'https://k' }, { timeoutMs: 5000 });
    expect(cred).toEqual({ token: 't', clientCertificateData: 'C', clientKeyData: 'K', expiresAt: Date.parse('2030-01-01T00:00:00Z') });
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      spec: { interactive: false, cluster: { server: 'https://k' } },
    });
  });

  it('bad output is an ExecPluginError', async () => {
    await expect(runExecPlugin(sh('echo not json'), undefined, { timeoutMs: 5000 })).rejects.toThrow(
      'exec plugin "sh" printed no usable ExecCredential: output is not JSON',
    );
    await expect(runExecPlugin(sh(credential({})), undefined, { timeoutMs: 5000 })).rejects.toThrow(/no token and no client certificate/);
  });

  it('an abort kills the plugin at once', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const run = runExecPlugin(sh('sleep 30'), undefined, { timeoutMs: 60_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const err = await run.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExecPluginError);
    expect((err as ExecPluginError).failure).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('ExecAuthenticator', () => {
  function counting(status: object): { config: ExecConfig; runs: () => number } {
    const counter = path.join(dir.path, `count-${Math.random().toString(36).slice(2)}`);
    return {
      config: sh(`echo x >> ${counter}; ${credential(status)}`),
      runs: () => {
        try {
          return readFileSync(counter, 'utf8').split('\n').filter(Boolean).length;
        } catch {
          return 0;
        }
      },
    };
  }

  it('shares one run between concurrent requests and caches until expiry', async () => {
    const { config, runs } = counting({ token: 'cached', expirationTimestamp: '2999-01-01T00:00:00Z' });
    const auth = new ExecAuthenticator('u', config, undefined, { timeoutMs: 5000 });
    const headers = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const opts: { headers?: Record<string, string> } = {};
        await auth.applyAuthentication({ name: 'u' }, opts);
        return opts.headers?.Authorization;
      }),
    );
    expect(new Set(headers)).toEqual(new Set(['Bearer cached']));
    expect(runs()).toBe(1);
    // Another authenticator (e.g. the cluster step after the probe) reuses the cached credential.
    await new ExecAuthenticator('u', config, undefined, { timeoutMs: 5000 }).credential();
    expect(runs()).toBe(1);
  });

  it('runs the plugin again once the credential has expired', async () => {
    const { config, runs } = counting({ token: 'short', expirationTimestamp: new Date(Date.now() + 5_000).toISOString() });
    const auth = new ExecAuthenticator('u', config, undefined, { timeoutMs: 5000 });
    await auth.credential();
    await auth.credential(); // within the 10 s refresh skew: already considered expired
    expect(runs()).toBe(2);
  });

  it('claims only its own user', () => {
    const auth = new ExecAuthenticator('u', sh('true'), undefined, { timeoutMs: 1000 });
    expect(auth.isAuthProvider({ name: 'u' })).toBe(true);
    expect(auth.isAuthProvider({ name: 'v' })).toBe(false);
  });
});
