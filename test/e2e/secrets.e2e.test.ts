/**
 * Case 5: during a full install, neither the GitLab PAT nor the agent token is ever in the argv of
 * any process on the machine (/proc/<pid>/cmdline sampled every 20 ms from this process), in the
 * CLI's stdout/stderr, or in any file the run left in its HOME, cwd (including the --values-out and
 * --helm-log files it was asked to write), TMPDIR or helm directories.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli, transcript, type CliOptions, type CliResult } from './support/cli.js';
import { e2eEnv } from './support/env.js';
import { commonFlags, startGitLab, type E2eGitLab } from './support/gitlab.js';
import { KAS_CA_PEM } from './support/paths.js';
import { startProcSampler, type SamplerReport } from './support/proc-sampler.js';
import { createSandbox, type Sandbox } from './support/sandbox.js';
import { filesUnder, leaksIn, secretForms } from './support/secrets.js';

describe('secrets during a full install', () => {
  let sb: Sandbox;
  let g: E2eGitLab;
  let agent: string;
  let run: CliResult;
  let report: SamplerReport;
  const secrets = () => {
    const all: Record<string, string> = { ...secretForms('GitLab PAT', g.pat) };
    for (const t of g.gl.state.agentTokens.values()) Object.assign(all, secretForms(`agent token ${t.id}`, t.value));
    return all;
  };

  beforeAll(async () => {
    sb = createSandbox('secrets', 4);
    g = await startGitLab();
    agent = sb.name('sec');
    const sampler = startProcSampler(secrets, 20);
    try {
      run = await runCli(
        sb,
        [
          'install',
          '--yes',
          '--project',
          'group/app',
          '--agent',
          agent,
          '--context',
          'e2e-admin',
          '--https-proxy',
          'http://proxy.internal:3128',
          '--kas-ca-cert',
          KAS_CA_PEM,
          '--create-config',
          'ci-access',
          '--values-out',
          'values-out.yaml',
          '--helm-log',
          'helm.log',
          ...commonFlags(g, e2eEnv().chartRepo),
        ],
        { env: { GITLAB_TOKEN: g.pat } },
      );
    } finally {
      report = sampler.stop();
    }
  });
  afterAll(async () => g?.close());

  it('the install succeeds and minted exactly one agent token', () => {
    expect(run.code, transcript(run)).toBe(0);
    expect(run.stdout).toContain(`✓ Agent ${agent} is installed, Ready and connected.`);
    expect(g.gl.state.agentTokens.size).toBe(1);
    expect(g.gl.state.file(g.world.project, `.gitlab/agents/${agent}/config.yaml`)).toContain('ci_access');
  });

  it('no secret in the argv of any process, sampled every ~20 ms for the whole run', () => {
    expect(run.code, transcript(run)).toBe(0);
    // The sampler really watched this run: often enough, and it saw the CLI and helm's upgrade.
    expect(report.sweeps, 'sweeps').toBeGreaterThan(run.ms / 100);
    expect(report.maxGapMs, 'largest gap between two sweeps (ms)').toBeLessThan(1000);
    const seen = [...report.cmdlines];
    expect(
      seen.some((c) => c.includes('gitlab-agent-tui.js install') && c.includes(`--agent ${agent}`)),
      'saw the CLI',
    ).toBe(true);
    expect(
      seen.some((c) => /(^|\/)helm upgrade --install /.test(c) && c.includes(agent)),
      'saw helm upgrade --install',
    ).toBe(true);
    expect(report.hits).toEqual([]);
    if (report.environHits.length > 0) {
      // Not argv (only the same user can read /proc/<pid>/environ), but helm does not need it: see the report.
      console.warn(`note: helm ran with ${[...new Set(report.environHits.map((h) => h.secret))].join(', ')} in its environment`);
    }
  });

  it('no secret in stdout or stderr', () => {
    expect(run.code, transcript(run)).toBe(0);
    expect(leaksIn(run.stdout, secrets())).toEqual([]);
    expect(leaksIn(run.stderr, secrets())).toEqual([]);
  });

  it('no secret in any file the run left in HOME, cwd, TMPDIR or the helm directories', () => {
    expect(run.code, transcript(run)).toBe(0);
    const files = filesUnder(sb.root);
    // The scan covers what the run wrote: the values file it was asked for, and helm's chart cache.
    const valuesOut = join(sb.cwd, 'values-out.yaml');
    expect(existsSync(valuesOut), '--values-out file').toBe(true);
    expect(readFileSync(valuesOut, 'utf8')).toContain(`secretName: ${agent}-agent-token`);
    const helmLog = join(sb.cwd, 'helm.log');
    expect(existsSync(helmLog), '--helm-log file').toBe(true);
    expect(readFileSync(helmLog, 'utf8')).toMatch(/STATUS: deployed/);
    expect(
      files.some((f) => f.path.startsWith(sb.env.HELM_CACHE_HOME!)),
      'helm cache files',
    ).toBe(true);
    const leaks = files.flatMap((f) => leaksIn(f.content.toString('latin1'), secrets()).map((s) => `${s} in ${f.path}`));
    expect(leaks).toEqual([]);
  });
});

/**
 * The same promise on the paths that go wrong, where libraries build their own messages: GitLab (or
 * a proxy) echoing the request's token in an error body, helm failing, Ctrl-C while helm runs. Each
 * output the run wrote — stdout, stderr, the --helm-log and --values-out files — is scanned.
 */
describe('secrets on the failure paths', () => {
  let g: E2eGitLab;
  afterEach(async () => g?.close());

  async function failingRun(label: string, extra: string[], arrange: (g: E2eGitLab) => void, onStderr?: CliOptions['onStderr']) {
    const sb = createSandbox(label, 4);
    g = await startGitLab();
    arrange(g);
    const agent = sb.name(label.slice(0, 6));
    const run = await runCli(
      sb,
      [
        'install',
        '--yes',
        '--project',
        'group/app',
        '--agent',
        agent,
        '--context',
        'e2e-admin',
        '--values-out',
        'values-out.yaml',
        '--helm-log',
        'helm.log',
        ...commonFlags(g, e2eEnv().chartRepo),
        ...extra,
      ],
      { env: { GITLAB_TOKEN: g.pat }, onStderr },
    );
    const secrets: Record<string, string> = { ...secretForms('GitLab PAT', g.pat) };
    for (const t of g.gl.state.agentTokens.values()) Object.assign(secrets, secretForms(`agent token ${t.id}`, t.value));
    const outputs = [
      run.stdout,
      run.stderr,
      ...['values-out.yaml', 'helm.log'].map((f) => (existsSync(join(sb.cwd, f)) ? readFileSync(join(sb.cwd, f), 'utf8') : '')),
    ];
    return { run, leaks: outputs.flatMap((o) => leaksIn(o, secrets)) };
  }

  it('GitLab echoes the token in a 500 when the agent is registered: the message is shown, the token masked', async () => {
    const { run, leaks } = await failingRun('echo500', [], (gl) =>
      gl.gl.failNext({
        method: 'POST',
        path: /cluster_agents$/,
        status: 500,
        body: { message: `500 Internal Server Error: bad header Authorization: Bearer ${gl.pat}` },
      }),
    );
    expect(run.code, transcript(run)).toBe(1);
    expect(run.stderr).toContain('bad header Authorization: Bearer ********');
    expect(leaks).toEqual([]);
  });

  it('GitLab echoes the token and its base64 in a 401 body: refused as bad input, nothing leaks', async () => {
    const { run, leaks } = await failingRun('echo401', [], (gl) =>
      gl.gl.failNext({
        method: 'GET',
        path: '/user',
        status: 401,
        body: { message: `401 Unauthorized: ${gl.pat} / ${Buffer.from(gl.pat).toString('base64')}` },
      }),
    );
    expect(run.code, transcript(run)).toBe(2);
    expect(leaks).toEqual([]);
  });

  it('helm fails after the agent token exists: no token in helm output, the log or the values file', async () => {
    const { run, leaks } = await failingRun('helmbad', ['--set', 'podAnnotations.team/oncall=true'], () => undefined);
    expect(run.code, transcript(run)).toBe(1);
    expect(run.stderr).toMatch(/✗ helm failed/);
    expect(g.gl.state.agentTokens.size).toBe(1);
    expect(leaks).toEqual([]);
  });

  it('Ctrl-C while helm runs: the cancel report holds no token', async () => {
    const { run, leaks } = await failingRun(
      'cancel',
      [],
      () => undefined,
      (stderr, signal) => {
        if (stderr.includes('✓ Agent token')) signal('SIGINT');
      },
    );
    expect(run.code, transcript(run)).toBe(130);
    expect(leaks).toEqual([]);
  });
});
