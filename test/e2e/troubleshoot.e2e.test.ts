/**
 * troubleshoot (doctor) through the real binary on the real control plane, with the fake GitLab: a healthy
 * install diagnoses as healthy (exit 0); with its token Secret deleted the root cause is
 * token-secret-missing (exit 1) in the JSON; the command changes nothing in the cluster or GitLab.
 * Then one broken install per layer: a Flux HelmRelease whose status says it failed, the token revoked in
 * GitLab (with a support bundle scanned for tokens), a bad image, a crash loop, a wrong --kas-address and
 * an agentk two minors behind GitLab.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, transcript, type CliResult } from './support/cli.js';
import { e2eEnv } from './support/env.js';
import { commonFlags, startGitLab, type E2eGitLab } from './support/gitlab.js';
import { FLUX_NS, installFlux, notReady, ready, writeStatus } from './support/flux.js';
import { helmRevisions, kubectl, kubectlApply, kubectlJson } from './support/kube.js';
import { createSandbox, type Sandbox } from './support/sandbox.js';
import { leaksIn, secretForms } from './support/secrets.js';
import { readTarGz } from '../support/tar-gz.js';

interface Doc {
  schemaVersion: number;
  context: string;
  installs: {
    namespace: string;
    release: string | null;
    agent: string | null;
    rootCause: { id: string; category: string } | null;
    findings: { id: string; status: string; category: string; evidence: string[] }[];
  }[];
}

describe('troubleshoot', () => {
  let sb: Sandbox;
  let g: E2eGitLab;
  let agent: string;
  let namespace: string;
  let installed: CliResult | undefined;
  const env = () => ({ GITLAB_TOKEN: g.pat });
  /** `doctor --output json` of one release, as a bug report would paste it. */
  const diagnose = (release: string, ns: string, ...extra: string[]) =>
    runCli(
      sb,
      ['doctor', '--context', 'e2e-admin', '--namespace', ns, '--release', release, '--gitlab-url', g.gl.url, '--output', 'json', ...extra],
      { env: env() },
    );
  /** The shared install, its project named. */
  const doctor = (...extra: string[]) => diagnose(agent, namespace, '--project', 'group/app', ...extra);

  beforeAll(async () => {
    sb = createSandbox('troubleshoot');
    g = await startGitLab();
    agent = sb.name('doc');
    namespace = `gitlab-agent-${agent}`;
  });
  afterAll(async () => g?.close());

  it('installs an agent', async () => {
    installed = await runCli(
      sb,
      ['install', '--yes', '--project', 'group/app', '--agent', agent, '--context', 'e2e-admin', ...commonFlags(g, e2eEnv().chartRepo)],
      { env: env() },
    );
    expect(installed.code, transcript(installed)).toBe(0);
  });

  it('a healthy install: exit 0, rootCause null, read-only', async () => {
    expect(installed, 'the install ran').toBeDefined();
    const writes = g.mutations().length;
    const r = await doctor();
    expect(r.code, transcript(r)).toBe(0);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(doc).toMatchObject({ schemaVersion: 1, context: 'e2e-admin' });
    expect(doc.installs).toHaveLength(1);
    const [i] = doc.installs;
    expect(i).toMatchObject({ namespace, release: agent, agent, rootCause: null });
    const status = Object.fromEntries(i!.findings.map((f) => [f.id, f.status]));
    expect(status).toMatchObject({ 'GL-AGENT': 'ok', 'GL-AGENT-TOKEN': 'ok', 'WL-SECRET': 'ok', 'WL-ROLLOUT': 'ok', 'WL-PODS': 'ok' });
    expect(g.mutations()).toHaveLength(writes);
    expect(await helmRevisions(sb, agent, namespace)).toEqual([1]);
    expect(r.stdout).not.toContain(g.pat);
  });

  it('the token Secret deleted: exit 1, rootCause token-secret-missing', async () => {
    expect(installed, 'the install ran').toBeDefined();
    await kubectl(['delete', 'secret', '-n', namespace, '-l', 'app.kubernetes.io/managed-by=gitlab-agent-tui']);
    const r = await doctor();
    expect(r.code, transcript(r)).toBe(1);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(doc.installs[0]!.rootCause).toEqual({ id: 'WL-SECRET-MISSING', category: 'token-secret-missing' });
    // The human report names it too.
    const text = await runCli(
      sb,
      ['troubleshoot', '--context', 'e2e-admin', '--namespace', namespace, '--release', agent, '--gitlab-url', g.gl.url],
      { env: env() },
    );
    expect(text.code, transcript(text)).toBe(1);
    expect(text.stderr).toMatch(/token-secret-missing — Secret \S+ does not exist in /);
    expect(text.stderr).toContain('Causal chain (first failing layer first)');
  });

  it('--fix --yes on the missing Secret: a new token written into it, pods restarted, then healthy (exit 0)', async () => {
    expect(installed, 'the install ran').toBeDefined();
    const r = await doctor('--fix', '--yes');
    expect(r.code, transcript(r)).toBe(0);
    const doc = JSON.parse(r.stdout) as Doc & { installs: { fixApplied?: { kind: string; rootCauseBefore: { category: string } } }[] };
    expect(doc.installs[0]!.fixApplied).toMatchObject({
      kind: 'recreate-token-secret',
      rootCauseBefore: { category: 'token-secret-missing' },
    });
    expect(doc.installs[0]!.rootCause).toBeNull();
    const secrets = JSON.parse(
      (await kubectl(['get', 'secrets', '-n', namespace, '-l', 'app.kubernetes.io/managed-by=gitlab-agent-tui', '-o', 'json'])).stdout,
    ) as { items: { data?: Record<string, string> }[] };
    expect(secrets.items).toHaveLength(1);
    expect(Object.keys(secrets.items[0]!.data ?? {})).toContain('token');
    expect(r.stdout).not.toContain(g.pat);
  });

  it('a Flux HelmRelease of the chart targeting the install, its status Ready=False UpgradeFailed: exit 1, rootCause flux-helmrelease-failed', async () => {
    expect(installed, 'the install ran').toBeDefined();
    await installFlux();
    const name = `${agent}-hr`;
    await kubectlApply(
      stringify({
        apiVersion: 'helm.toolkit.fluxcd.io/v2',
        kind: 'HelmRelease',
        metadata: { name, namespace: FLUX_NS },
        spec: {
          interval: '10m',
          targetNamespace: namespace,
          releaseName: agent,
          chart: { spec: { chart: 'gitlab-agent', sourceRef: { kind: 'HelmRepository', name: 'gitlab' } } },
        },
      }),
    );
    // The cluster is shared with the Flux suite, which may leave flux-system failing on purpose: here only the
    // HelmRelease is broken, so the source and Kustomization above it are made healthy first.
    for (const kind of ['gitrepository', 'kustomization']) {
      const there = await kubectl(['get', kind, 'flux-system', '-n', FLUX_NS], { allowFail: true });
      if (there.code === 0) await writeStatus(kind, 'flux-system', { conditions: [ready('Succeeded', 'healthy for this test')] });
    }
    try {
      await writeStatus('helmrelease', name, {
        upgradeFailures: 2,
        conditions: [
          notReady(
            'UpgradeFailed',
            `Helm upgrade failed for release ${namespace}/${agent} with chart gitlab-agent@2.32.0: values don't meet the specifications of the schema(s) in the following chart(s)`,
          ),
        ],
      });
      const r = await doctor();
      expect(r.code, transcript(r)).toBe(1);
      const i = (JSON.parse(r.stdout) as Doc).installs[0]!;
      expect(i.rootCause?.category, r.stdout).toBe('flux-helmrelease-failed');
      expect(i.findings.flatMap((f) => f.evidence).join('\n')).toContain("values don't meet the specifications");
    } finally {
      await kubectl(['delete', 'helmrelease', name, '-n', FLUX_NS, '--wait=false'], { allowFail: true });
    }
  });

  it('the token revoked in GitLab: exit 1, rootCause agent-token-revoked; --bundle writes an archive with no token in it', async () => {
    expect(installed, 'the install ran').toBeDefined();
    const secret = (
      await kubectlJson<{ items: { data?: Record<string, string> }[] }>([
        'get',
        'secrets',
        '-n',
        namespace,
        '-l',
        'app.kubernetes.io/managed-by=gitlab-agent-tui',
      ])
    ).items[0];
    const value = Buffer.from(secret?.data?.['token'] ?? '', 'base64')
      .toString('utf8')
      .trim();
    const token = [...g.gl.state.agentTokens.values()].find((t) => t.value === value);
    expect(token, 'the Secret holds a token GitLab made').toBeDefined();
    token!.status = 'revoked';
    // Both tokens where a careless bundle would copy them: an annotation, and an event's message.
    await kubectl([
      'annotate',
      'deployment',
      '-n',
      namespace,
      '--all',
      `e2e.test/leak=${value}`,
      `e2e.test/leak-pat=${Buffer.from(g.pat).toString('base64')}`,
      '--overwrite',
    ]);
    await kubectlApply(
      stringify({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: `${agent}.leak`, namespace },
        type: 'Warning',
        reason: 'Leak',
        message: `token ${value} pat ${g.pat}`,
        involvedObject: { kind: 'Deployment', name: agent, namespace },
      }),
    );
    const bundle = join(sb.cwd, 'support.tar.gz');
    const r = await doctor('--bundle', bundle);
    expect(r.code, transcript(r)).toBe(1);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(doc.installs[0]!.rootCause, r.stdout).toEqual({ id: 'GL-AGENT-TOKEN-REVOKED', category: 'agent-token-revoked' });
    const files = await readTarGz(bundle);
    expect([...files.keys()]).toEqual(
      expect.arrayContaining([
        'gitlab-agent-support/findings.json',
        'gitlab-agent-support/objects/deployment.yaml',
        'gitlab-agent-support/objects/pods.yaml',
        'gitlab-agent-support/objects/events.yaml',
        'gitlab-agent-support/versions.json',
        'gitlab-agent-support/run.log',
      ]),
    );
    expect(JSON.parse(files.get('gitlab-agent-support/findings.json')!)).toEqual(doc);
    expect(files.get('gitlab-agent-support/objects/events.yaml')).toContain('reason: Leak');
    const needles = { ...secretForms('agent token', value), ...secretForms('GitLab PAT', g.pat) };
    expect(leaksIn([...files.values()].join('\n'), needles)).toEqual([]);
    expect(leaksIn(gunzipSync(readFileSync(bundle)).toString('latin1'), needles)).toEqual([]);
  });

  describe('installs that never got Ready (left as the failed install left them)', () => {
    const broken = async (prefix: string, extra: string[]) => {
      const name = sb.name(prefix);
      const r = await runCli(
        sb,
        [
          'install',
          '--yes',
          '--project',
          'group/app',
          '--agent',
          name,
          '--context',
          'e2e-admin',
          ...commonFlags(g, e2eEnv().chartRepo),
          ...extra,
        ],
        { env: env() },
      );
      expect(r.code, transcript(r)).toBe(1);
      const d = await diagnose(name, `gitlab-agent-${name}`);
      return { d, doc: JSON.parse(d.stdout) as Doc };
    };

    it('an image tag that does not exist: exit 1, rootCause image-pull', async () => {
      const { d, doc } = await broken('pull', ['--image-tag', 'does-not-exist']);
      expect(d.code, transcript(d)).toBe(1);
      expect(doc.installs[0]!.rootCause?.category, d.stdout).toBe('image-pull');
    });

    it('agentk crash-looping with an Unauthenticated log line: exit 1, the KAS rejection named from its previous log', async () => {
      const values = join(sb.cwd, 'crashloop.yaml');
      writeFileSync(values, 'podAnnotations:\n  e2e.test/crashloop: "true"\n');
      const { d, doc } = await broken('crash', ['--values', values]);
      expect(d.code, transcript(d)).toBe(1);
      const i = doc.installs[0]!;
      expect(i.rootCause?.category, d.stdout).toBe('token-rejected');
      expect(
        i.findings.some((f) => f.category === 'crash-loop' && f.status === 'fail'),
        d.stdout,
      ).toBe(true);
    });

    it('a --kas-address GitLab does not advertise: the install is never connected; exit 1, rootCause kas-address-mismatch naming both hosts', async () => {
      const { d, doc } = await broken('addr', ['--kas-address', 'wss://kas.elsewhere.example/-/kubernetes-agent/']);
      expect(d.code, transcript(d)).toBe(1);
      const i = doc.installs[0]!;
      expect(i.rootCause, d.stdout).toEqual({ id: 'NET-ADDRESS-MISMATCH', category: 'kas-address-mismatch' });
      const root = i.findings.find((f) => f.id === 'NET-ADDRESS-MISMATCH')!;
      expect(root.status).toBe('fail');
      expect(root.evidence.join('\n')).toContain('the agent is not connected');
    });
  });

  it('agentk two minors behind GitLab (--image-tag v17.4.0, KAS 17.6.2): installs with a warning; exit 1, rootCause version-skew', async () => {
    const name = sb.name('skew');
    const r = await runCli(
      sb,
      [
        'install',
        '--yes',
        '--project',
        'group/app',
        '--agent',
        name,
        '--context',
        'e2e-admin',
        ...commonFlags(g, e2eEnv().chartRepo),
        '--image-tag',
        'v17.4.0',
      ],
      { env: env() },
    );
    expect(r.code, transcript(r)).toBe(0);
    const d = await diagnose(name, `gitlab-agent-${name}`);
    expect(d.code, transcript(d)).toBe(1);
    const i = (JSON.parse(d.stdout) as Doc).installs[0]!;
    expect(i.rootCause, d.stdout).toEqual({ id: 'NET-VERSION-SKEW', category: 'version-skew' });
    expect(i.findings.find((f) => f.id === 'NET-VERSION-SKEW')?.status).toBe('fail');
  });
});
