import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;
const bin = join(root, 'bin/gitlab-agent-tui.js');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** The real binary, no terminal (stdin closed), a clean environment. */
async function cli(args: string[], env: Record<string, string> = {}): Promise<Result> {
  const home = mkdtempSync(join(tmpdir(), 'glat-cli-'));
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: home, NO_COLOR: '1', ...env },
      timeout: 20_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  await run(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root });
}, 60_000);

describe('gitlab-agent-tui binary', () => {
  it('documents every install flag of the contract in --help', async () => {
    const { code, stdout } = await cli(['install', '--help']);
    expect(code).toBe(0);
    const contract =
      '--kubeconfig --context --gitlab-url --kas-address --project --agent --method --namespace --release --image-tag --image-repository --chart-version --chart-repo --chart --http-proxy --https-proxy --no-proxy --kas-ca-cert --service-account --existing-role --no-rbac --token-secret --values --set --create-config --dry-run --timeout'.split(
        ' ',
      );
    for (const flag of contract) expect(stdout, flag).toContain(flag);
    expect(stdout).toContain('Exit codes:');
    expect(stdout).not.toMatch(/--token[ =]<|--gitlab-token/);
  });

  it.each([
    ['status', ['--all-contexts', '--context <name>', '--output <format>']],
    ['upgrade', ['--rollback-on-failure', '--continue-on-failure', '--image-tag <tag>', '--chart-version <version>', '--dry-run']],
    ['uninstall', ['--revoke-agent-token', '--delete-agent', '--delete-config', '--dry-run']],
    ['rotate-token', ['--revoke-token <id>', '--connect-timeout <duration>']],
    ['troubleshoot', ['--release <name>', '--namespace <name>', '--gitlab-url <url>', '--output <format>']],
    ['doctor', ['--release <name>', '--context <name>']],
  ])('%s has --help with its own flags', async (command, flags) => {
    const { code, stdout } = await cli([command, '--help']);
    expect(code).toBe(0);
    for (const flag of flags) expect(stdout).toContain(flag);
  });

  it.each([
    [['upgrade', '--timeout', 'soon'], '--timeout: '],
    [['uninstall', '--namespace', 'Not_A_Name'], '--namespace: '],
    [['status', '--all-contexts', '--context', 'x'], '--context: '],
    [['rotate-token', '--revoke-token', 'abc'], '--revoke-token: "abc" is not a token id'],
    [['troubleshoot', '--namespace', 'Not_A_Name'], '--namespace: '],
    [['doctor', '--output', 'yaml'], '--output: unknown format "yaml"'],
  ])('%j is refused before any call: one line, exit 2', async (args, line) => {
    const { code, stderr } = await cli(args);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(line);
  });

  it('answers a mistyped command like git does, with the command it probably meant (exit 2)', async () => {
    const typo = await cli(['instal']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe(
      "gitlab-agent-tui: 'instal' is not a gitlab-agent-tui command. See 'gitlab-agent-tui --help'.\n\nThe most similar command is\n\tinstall\n",
    );
    const alias = await cli(['docter']);
    expect(alias.stderr).toContain('\tdoctor');
    const nothing = await cli(['frobnicate']);
    expect(nothing.stderr).toBe("gitlab-agent-tui: 'frobnicate' is not a gitlab-agent-tui command. See 'gitlab-agent-tui --help'.\n");
  });

  it('`help` and `help <command>` print the same help as --help', async () => {
    const top = await cli(['help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toBe((await cli(['--help'])).stdout);
    const install = await cli(['help', 'install']);
    expect(install.stdout).toBe((await cli(['install', '--help'])).stdout);
    expect((await cli(['help', 'instal'])).code).toBe(2);
  });

  it('prints its version', async () => {
    const { code, stdout } = await cli(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('an unknown flag is one line and exit 2', async () => {
    const { code, stderr } = await cli(['install', '--bogus']);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual(["gitlab-agent-tui: unknown option '--bogus' (see gitlab-agent-tui --help)"]);
  });

  it('bad input names the field and the fix, exit 2', async () => {
    const bad = await cli(['install', '--yes', '--agent', 'My_Agent']);
    expect(bad).toMatchObject({
      code: 2,
      stderr: 'gitlab-agent-tui: --agent: agent name must be lowercase (use lowercase letters, digits and "-", at most 63)\n',
    });
    const url = await cli(['install', '--yes', '--gitlab-url', 'ftp://x']);
    expect(url.code).toBe(2);
    expect(url.stderr).toContain('--gitlab-url:');
    const timeout = await cli(['install', '--yes', '--timeout', 'soon']);
    expect(timeout.stderr).toContain('--timeout:');
  });

  it('--output json prints one JSON document on stdout, also when the run ends early', async () => {
    const { code, stdout } = await cli(['install', '--yes', '--output', 'json', '--agent', 'a', '--project', 'g/p'], {
      KUBECONFIG: '/nonexistent/config',
    });
    expect(code).toBe(2);
    expect(JSON.parse(stdout)).toMatchObject({
      schemaVersion: 1,
      exitCode: 2,
      error: expect.stringContaining('kubeconfig: no kubeconfig found'),
    });
  });

  it('--yes names every missing answer at once, before any network call', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'glat-yes-'));
    const kubeconfig = join(dir, 'config');
    // A closed port: reaching the cluster first would fail differently.
    writeFileSync(
      kubeconfig,
      'apiVersion: v1\nkind: Config\ncurrent-context: x\ncontexts: [{name: x, context: {cluster: x, user: x}}]\nclusters: [{name: x, cluster: {server: "https://127.0.0.1:2"}}]\nusers: [{name: x, user: {}}]\n',
    );
    const { code, stderr } = await cli(['install', '--yes'], { KUBECONFIG: kubeconfig });
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([
      '✗ --project, --agent, GITLAB_TOKEN: no answer (--yes was given) (pass --project <path|id>; pass --agent <name>; set GITLAB_TOKEN or log in with `glab auth login`)',
    ]);
  });

  it('a missing kubeconfig is a usage error naming the fix', async () => {
    const { code, stderr } = await cli(['install', '--yes', '--agent', 'a', '--project', 'g/p'], { KUBECONFIG: '/nonexistent/config' });
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([
      '✗ kubeconfig: no kubeconfig found at /nonexistent/config (set KUBECONFIG or pass --kubeconfig)',
    ]);
  });

  it('an unreadable or non-PEM CA file fails before any network call', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'glat-ca-'));
    const notPem = join(dir, 'ca.pem');
    writeFileSync(notPem, 'hello');
    const kubeconfig = join(dir, 'config');
    // Points at a closed port: if the CA check did not come first, this would fail differently.
    writeFileSync(
      kubeconfig,
      'apiVersion: v1\nkind: Config\ncurrent-context: x\ncontexts: [{name: x, context: {cluster: x, user: x}}]\nclusters: [{name: x, cluster: {server: "https://127.0.0.1:2"}}]\nusers: [{name: x, user: {}}]\n',
    );
    const { code, stderr } = await cli(['install', '--yes', '--agent', 'a', '--project', 'g/p', '--kas-ca-cert', notPem], {
      KUBECONFIG: kubeconfig,
    });
    expect(code).toBe(2);
    expect(stderr).toContain(`--kas-ca-cert: ${notPem} is not a PEM certificate`);
  });

  it('without a terminal and without a command it says how to run non-interactively', async () => {
    const { code, stderr } = await cli([]);
    expect(code).toBe(2);
    expect(stderr).toContain('no command given and no terminal');
  });
});
