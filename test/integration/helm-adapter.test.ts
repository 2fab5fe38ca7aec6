import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { createHelmPort } from '../../src/adapters/helm/index.js';
import { CancelledError, FlowError } from '../../src/core/kernel/errors.js';
import type { HelmStream } from '../../src/core/ports/helm.js';
import { fakeHelm } from '../fake-helm/index.js';
import { isGone, waitUntil } from '../fake-helm/process-check.js';

const TEST_TIMEOUT = 30_000;

interface Line {
  line: string;
  stream: HelmStream;
}

function collector() {
  const lines: Line[] = [];
  return { lines, onLine: (line: string, stream: HelmStream) => lines.push({ line, stream }) };
}

function pidFrom(lines: Line[], pattern: RegExp): number {
  for (const { line } of lines) {
    const match = pattern.exec(line);
    if (match?.[1]) return Number(match[1]);
  }
  throw new Error(`no line matches ${pattern}`);
}

async function flowError(promise: Promise<unknown>): Promise<FlowError> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(FlowError);
  return error as FlowError;
}

describe('version()', () => {
  it.each([
    ['v3.21.4+g1234abc', 'v3.21.4', 3],
    ['v3.6.0+g7f2df64', 'v3.6.0', 3],
    ['v4.0.1+g0123456', 'v4.0.1', 4],
    ['v4.1.0-rc.1+gabc', 'v4.1.0-rc.1', 4],
  ])('parses %s', async (printed, version, major) => {
    const fake = fakeHelm({ FAKE_HELM_VERSION: printed });
    await expect(createHelmPort({ env: fake.env }).version()).resolves.toEqual({ version, major });
    expect(fake.calls().map((call) => call.argv)).toEqual([['version', '--short']]);
  });

  it('says helm is not on PATH, with the install hint', async () => {
    const emptyDir = mkdtempSync(join(tmpdir(), 'no-helm-'));
    const error = await flowError(createHelmPort({ env: { PATH: emptyDir } }).version());
    expect(error.step).toBe('helm');
    expect(error.message).toBe('helm not found on PATH');
    expect(error.hint).toBe('install helm 3.6 or newer: https://helm.sh/docs/intro/install/');
  });

  it('names an explicit binary path that does not exist', async () => {
    const error = await flowError(createHelmPort({ binary: '/nonexistent/helm' }).version());
    expect(error.message).toBe('helm not found at /nonexistent/helm');
  });

  it('fails clearly on output without a version', async () => {
    const fake = fakeHelm({ FAKE_HELM_VERSION: 'something odd' });
    const error = await flowError(createHelmPort({ env: fake.env }).version());
    expect(error.message).toContain('something odd');
  });
});

describe('listReleases()', () => {
  const releases = [
    {
      name: 'gitlab-agent',
      namespace: 'gitlab-agent-prod',
      revision: '3',
      updated: '2026-11-25 10:00:00.123 +0000 UTC',
      status: 'failed',
      chart: 'gitlab-agent-2.21.0',
      app_version: 'v18.6.0',
    },
    {
      name: 'other',
      namespace: 'default',
      revision: '1',
      updated: '-',
      status: 'pending-install',
      chart: 'nginx-1.0.0',
      app_version: '',
    },
  ];

  it('parses helm JSON and passes context, kubeconfig and namespace', async () => {
    const fake = fakeHelm({ FAKE_HELM_RELEASES: JSON.stringify(releases) });
    const port = createHelmPort({ env: fake.env });
    const result = await port.listReleases({ context: 'kind-dev', kubeconfig: '/tmp/kc.yaml' }, 'gitlab-agent-prod');
    expect(result).toEqual([
      {
        name: 'gitlab-agent',
        namespace: 'gitlab-agent-prod',
        revision: 3,
        status: 'failed',
        chart: 'gitlab-agent-2.21.0',
        appVersion: 'v18.6.0',
      },
      { name: 'other', namespace: 'default', revision: 1, status: 'pending-install', chart: 'nginx-1.0.0', appVersion: '' },
    ]);
    expect(fake.calls()[0]?.argv).toEqual([
      'list',
      '--output=json',
      '--deployed',
      '--failed',
      '--pending',
      '--superseded',
      '--uninstalled',
      '--uninstalling',
      '--max=0',
      '--kube-context=kind-dev',
      '--kubeconfig=/tmp/kc.yaml',
      '--namespace=gitlab-agent-prod',
    ]);
  });

  it('lists all namespaces without a namespace, and omits --kubeconfig when not given', async () => {
    const fake = fakeHelm();
    await expect(createHelmPort({ env: fake.env }).listReleases({ context: 'prod' })).resolves.toEqual([]);
    expect(fake.calls()[0]?.argv).toEqual([
      'list',
      '--output=json',
      '--deployed',
      '--failed',
      '--pending',
      '--superseded',
      '--uninstalled',
      '--uninstalling',
      '--max=0',
      '--kube-context=prod',
      '--all-namespaces',
    ]);
  });

  it('turns a helm error into a FlowError carrying helm’s message', async () => {
    const fake = fakeHelm({ FAKE_HELM_LIST_ERROR: 'Kubernetes cluster unreachable: dial tcp 127.0.0.1:6443' });
    const error = await flowError(createHelmPort({ env: fake.env }).listReleases({ context: 'prod' }));
    expect(error.message).toBe('`helm list` failed: Error: Kubernetes cluster unreachable: dial tcp 127.0.0.1:6443');
    expect(error.hint).toContain('kubectl --context prod');
  });
});

describe('run()', () => {
  it(
    'streams 50 000 lines per stream in order and keeps only the last 20 stderr lines',
    async () => {
      const count = 50_000;
      const fake = fakeHelm({ FAKE_HELM_LINES: String(count) });
      let nextOut = 0;
      let nextErr = 0;
      let outOfOrder = 0;
      const result = await createHelmPort({ env: fake.env }).run({
        args: ['upgrade', '--install', 'agent', 'gitlab/gitlab-agent'],
        signal: new AbortController().signal,
        onLine: (line, stream) => {
          // Count instead of storing: the point is that nothing here grows with the output.
          if (stream === 'stdout' && line.startsWith('out ')) {
            if (line !== `out ${nextOut}`) outOfOrder++;
            nextOut++;
          } else if (stream === 'stderr') {
            if (line !== `err ${nextErr}`) outOfOrder++;
            nextErr++;
          }
        },
      });
      expect({ nextOut, nextErr, outOfOrder }).toEqual({ nextOut: count, nextErr: count, outOfOrder: 0 });
      expect(result.exitCode).toBe(0);
      expect(result.stderrTail).toHaveLength(20);
      expect(result.stderrTail).toEqual(Array.from({ length: 20 }, (_, i) => `err ${count - 20 + i}`));
    },
    TEST_TIMEOUT,
  );

  it('passes helm’s normal output through line by line, CRLF stripped', async () => {
    const fake = fakeHelm({ FAKE_HELM_CRLF: '1' });
    const { lines, onLine } = collector();
    const result = await createHelmPort({ env: fake.env }).run({
      args: ['upgrade', '--install', 'gitlab-agent', 'gitlab/gitlab-agent', '-n', 'agents'],
      signal: new AbortController().signal,
      onLine,
    });
    expect(result).toEqual({ exitCode: 0, stderrTail: [] });
    expect(lines).toEqual([
      { stream: 'stdout', line: 'Release "gitlab-agent" does not exist. Installing it now.' },
      { stream: 'stdout', line: 'NAME: gitlab-agent' },
      { stream: 'stdout', line: 'LAST DEPLOYED: Wed Nov 25 10:00:00 2026' },
      { stream: 'stdout', line: 'NAMESPACE: agents' },
      { stream: 'stdout', line: 'STATUS: deployed' },
      { stream: 'stdout', line: 'REVISION: 1' },
      { stream: 'stdout', line: 'TEST SUITE: None' },
    ]);
  });

  it('writes stdin to helm exactly and keeps it out of argv', async () => {
    const fake = fakeHelm();
    const values = 'config:\n  token: glagent-SECRET-üñí\n  kasAddress: "wss://kas.example.com"\n\nno-final-newline';
    const args = ['upgrade', '--install', 'agent', 'gitlab/gitlab-agent', '-f', '-'];
    await createHelmPort({ env: fake.env }).run({ args, stdin: values, signal: new AbortController().signal, onLine: () => {} });
    const [call] = fake.calls();
    expect(call?.stdin).toBe(values);
    expect(call?.argv).toEqual(args);
    expect(JSON.stringify(call?.argv)).not.toContain('SECRET');
  });

  it('does not fail when helm exits without reading a large stdin', async () => {
    const fake = fakeHelm();
    const result = await createHelmPort({ env: fake.env }).run({
      args: ['status', 'agent'],
      stdin: 'x'.repeat(4 * 1024 * 1024),
      signal: new AbortController().signal,
      onLine: () => {},
    });
    expect(result.exitCode).toBe(0);
    expect(fake.calls()[0]?.stdin).toBeNull();
  });

  it('passes the exit code through, with stderr in the tail', async () => {
    const fake = fakeHelm({ FAKE_HELM_EXIT: '3' });
    const result = await createHelmPort({ env: fake.env }).run({
      args: ['upgrade', '--install', 'agent', 'gitlab/gitlab-agent'],
      signal: new AbortController().signal,
      onLine: () => {},
    });
    expect(result.exitCode).toBe(3);
    expect(result.stderrTail).toEqual(['Error: INSTALLATION FAILED: fake helm failure for chart gitlab/gitlab-agent (FAKE_HELM_EXIT=3)']);
  });

  it('passes the environment through', async () => {
    const fake = fakeHelm({ FAKE_HELM_MARK: 'seen', HELM_DRIVER: 'secret' });
    await createHelmPort({ env: fake.env }).run({ args: ['status'], signal: new AbortController().signal, onLine: () => {} });
    expect(fake.calls()[0]?.env).toMatchObject({ FAKE_HELM_MARK: 'seen', HELM_DRIVER: 'secret' });
  });

  it('throws FlowError when helm is missing', async () => {
    const emptyDir = mkdtempSync(join(tmpdir(), 'no-helm-'));
    const run = createHelmPort({ env: { PATH: emptyDir } }).run({
      args: ['status'],
      signal: new AbortController().signal,
      onLine: () => {},
    });
    expect((await flowError(run)).message).toBe('helm not found on PATH');
  });

  it(
    'on abort ends helm and its grandchild, then rejects with CancelledError',
    async () => {
      const fake = fakeHelm({ FAKE_HELM_SLEEP_MS: '60000', FAKE_HELM_SPAWN_CHILD: '1' });
      const controller = new AbortController();
      const { lines, onLine } = collector();
      const run = createHelmPort({ env: fake.env }).run({
        args: ['upgrade', '--install', 'agent', 'chart'],
        signal: controller.signal,
        onLine: (line, stream) => {
          onLine(line, stream);
          if (line.includes('sleeping')) controller.abort();
        },
      });
      await expect(run).rejects.toBeInstanceOf(CancelledError);
      const helmPid = pidFrom(lines, /fake-helm: pid (\d+) sleeping/);
      const grandchildPid = pidFrom(lines, /grandchild pid (\d+)/);
      expect(fake.calls()[0]?.grandchildPid).toBe(grandchildPid);
      // No waiting here: run() promises to settle only after the whole group is gone.
      expect(isGone(helmPid)).toBe(true);
      expect(isGone(grandchildPid)).toBe(true);
    },
    TEST_TIMEOUT,
  );

  /** Aborts once helm says it is sleeping, then checks helm and its grandchild are both gone. */
  async function abortAndExpectGroupGone(settings: Record<string, string>): Promise<void> {
    const fake = fakeHelm({ FAKE_HELM_SLEEP_MS: '60000', FAKE_HELM_SPAWN_CHILD: '1', ...settings });
    const controller = new AbortController();
    const { lines, onLine } = collector();
    const run = createHelmPort({ env: fake.env, killGraceMs: 200 }).run({
      args: ['upgrade', '--install', 'agent', 'chart'],
      signal: controller.signal,
      onLine: (line, stream) => {
        onLine(line, stream);
        if (line.includes('sleeping')) controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(isGone(pidFrom(lines, /fake-helm: pid (\d+) sleeping/))).toBe(true);
    expect(isGone(pidFrom(lines, /grandchild pid (\d+)/))).toBe(true);
  }

  it(
    'SIGKILLs a helm that ignores SIGTERM after the grace period',
    () => abortAndExpectGroupGone({ FAKE_HELM_IGNORE_SIGTERM: '1' }),
    TEST_TIMEOUT,
  );

  it(
    'SIGKILLs a grandchild that outlives helm before settling',
    () => abortAndExpectGroupGone({ FAKE_HELM_CHILD_IGNORE_SIGTERM: '1' }),
    TEST_TIMEOUT,
  );

  it('does not start helm when the signal is already aborted', async () => {
    const fake = fakeHelm();
    const controller = new AbortController();
    controller.abort();
    const run = createHelmPort({ env: fake.env }).run({ args: ['status'], signal: controller.signal, onLine: () => {} });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(fake.calls()).toEqual([]);
  });

  it(
    'stops helm and rethrows when onLine throws',
    async () => {
      const fake = fakeHelm({ FAKE_HELM_SLEEP_MS: '60000' });
      const boom = new Error('consumer broke');
      let helmPid = 0;
      const run = createHelmPort({ env: fake.env }).run({
        args: ['status'],
        signal: new AbortController().signal,
        onLine: (line) => {
          const match = /fake-helm: pid (\d+) sleeping/.exec(line);
          if (!match) return;
          helmPid = Number(match[1]);
          throw boom;
        },
      });
      await expect(run).rejects.toBe(boom);
      expect(isGone(helmPid)).toBe(true);
    },
    TEST_TIMEOUT,
  );
});

describe('when our process dies mid-run', () => {
  let driverPath: Promise<string> | undefined;

  /** Bundles exit-driver.ts (TS sources need a transform; execa stays external and resolves from node_modules). */
  function driver(): Promise<string> {
    driverPath ??= (async () => {
      const { build } = await import('esbuild');
      const outfile = resolve('node_modules/.cache/helm-adapter-test/exit-driver.mjs');
      await build({
        entryPoints: [resolve('test/fake-helm/exit-driver.ts')],
        bundle: true,
        platform: 'node',
        format: 'esm',
        packages: 'external',
        outfile,
        logLevel: 'silent',
      });
      return outfile;
    })();
    return driverPath;
  }

  it.each([
    ['process.exit()', 'exit', undefined],
    ['SIGINT', 'signal', 'SIGINT'],
    ['SIGTERM', 'signal', 'SIGTERM'],
  ] as const)(
    'helm and its grandchild die too (%s)',
    async (_label, mode, signal) => {
      const fake = fakeHelm({ FAKE_HELM_SLEEP_MS: '60000', FAKE_HELM_SPAWN_CHILD: '1' });
      const child = spawn(process.execPath, [await driver(), mode], { env: fake.env, stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise<void>((done) => child.on('exit', () => done()));
      const pids: { helm?: number; grandchild?: number } = {};
      for await (const line of createInterface({ input: child.stdout })) {
        const grandchild = /grandchild pid (\d+)/.exec(line);
        if (grandchild) pids.grandchild = Number(grandchild[1]);
        const sleeping = /fake-helm: pid (\d+) sleeping/.exec(line);
        if (sleeping) {
          pids.helm = Number(sleeping[1]);
          if (signal) child.kill(signal);
        }
      }
      await exited;
      const { helm, grandchild } = pids;
      expect(helm).toBeTypeOf('number');
      expect(grandchild).toBeTypeOf('number');
      // The driver is gone; helm got its SIGTERM from the exit hook, but dies asynchronously.
      await waitUntil(() => isGone(helm ?? 0) && isGone(grandchild ?? 0));
    },
    TEST_TIMEOUT,
  );
});
