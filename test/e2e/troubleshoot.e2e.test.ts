/**
 * troubleshoot (doctor) through the real binary on the real control plane, with the fake GitLab: a healthy
 * install diagnoses as healthy (exit 0); with its token Secret deleted the root cause is
 * token-secret-missing (exit 1) in the JSON; the command changes nothing in the cluster or GitLab.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, transcript, type CliResult } from './support/cli.js';
import { e2eEnv } from './support/env.js';
import { commonFlags, startGitLab, type E2eGitLab } from './support/gitlab.js';
import { helmRevisions, kubectl } from './support/kube.js';
import { createSandbox, type Sandbox } from './support/sandbox.js';

interface Doc {
  schemaVersion: number;
  context: string;
  installs: { namespace: string; release: string | null; agent: string | null; rootCause: { id: string; category: string } | null; findings: { id: string; status: string; category: string; evidence: string[] }[] }[];
}

describe('troubleshoot', () => {
  let sb: Sandbox;
  let g: E2eGitLab;
  let agent: string;
  let namespace: string;
  let installed: CliResult | undefined;
  const env = () => ({ GITLAB_TOKEN: g.pat });
  const doctor = (...extra: string[]) =>
    runCli(sb, ['doctor', '--context', 'e2e-admin', '--namespace', namespace, '--release', agent, '--gitlab-url', g.gl.url, '--project', 'group/app', '--output', 'json', ...extra], { env: env() });

  beforeAll(async () => {
    sb = createSandbox('troubleshoot');
    g = await startGitLab();
    agent = sb.name('doc');
    namespace = `gitlab-agent-${agent}`;
  });
  afterAll(async () => g?.close());

  it('installs an agent', async () => {
    installed = await runCli(sb, ['install', '--yes', '--project', 'group/app', '--agent', agent, '--context', 'e2e-admin', ...commonFlags(g, e2eEnv().chartRepo)], { env: env() });
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
    const text = await runCli(sb, ['troubleshoot', '--context', 'e2e-admin', '--namespace', namespace, '--release', agent, '--gitlab-url', g.gl.url], { env: env() });
    expect(text.code, transcript(text)).toBe(1);
    expect(text.stderr).toMatch(/token-secret-missing — Secret \S+ does not exist in /);
    expect(text.stderr).toContain('Causal chain (first failing layer first)');
  });

  it('--fix --yes on the missing Secret: a new token written into it, pods restarted, then healthy (exit 0)', async () => {
    expect(installed, 'the install ran').toBeDefined();
    const r = await doctor('--fix', '--yes');
    expect(r.code, transcript(r)).toBe(0);
    const doc = JSON.parse(r.stdout) as Doc & { installs: { fixApplied?: { kind: string; rootCauseBefore: { category: string } } }[] };
    expect(doc.installs[0]!.fixApplied).toMatchObject({ kind: 'recreate-token-secret', rootCauseBefore: { category: 'token-secret-missing' } });
    expect(doc.installs[0]!.rootCause).toBeNull();
    const secrets = JSON.parse((await kubectl(['get', 'secrets', '-n', namespace, '-l', 'app.kubernetes.io/managed-by=gitlab-agent-tui', '-o', 'json'])).stdout) as { items: { data?: Record<string, string> }[] };
    expect(secrets.items).toHaveLength(1);
    expect(Object.keys(secrets.items[0]!.data ?? {})).toContain('token');
    expect(r.stdout).not.toContain(g.pat);
  });

  describe('installs that never got Ready (left as the failed install left them)', () => {
    const broken = async (prefix: string, extra: string[]) => {
      const name = sb.name(prefix);
      const r = await runCli(sb, ['install', '--yes', '--project', 'group/app', '--agent', name, '--context', 'e2e-admin', ...commonFlags(g, e2eEnv().chartRepo), ...extra], { env: env() });
      expect(r.code, transcript(r)).toBe(1);
      const d = await runCli(sb, ['troubleshoot', '--context', 'e2e-admin', '--namespace', `gitlab-agent-${name}`, '--release', name, '--gitlab-url', g.gl.url, '--output', 'json'], { env: env() });
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
      expect(i.findings.some((f) => f.category === 'crash-loop' && f.status === 'fail'), d.stdout).toBe(true);
    });
  });
});
