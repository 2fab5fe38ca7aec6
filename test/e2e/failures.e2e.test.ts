/**
 * Case 4: failure paths. After the review: an image that cannot be pulled, helm failing half-way, a
 * crash-looping agentk (exit 1, diagnosis, next step, what was created and how to remove it; the printed
 * cluster cleanup commands are run and must leave nothing behind; --cleanup-on-failure removes it
 * itself). Before anything is created:
 * a context without the rights, an unreachable context, a failing credential plugin (exit 1), bad
 * input (exit 2, one line naming the field), and --dry-run (exit 0). "Nothing created" is checked in
 * GitLab (no writing request) and in the cluster (no new namespace, no release).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { agentObjects } from './support/agent-objects.js';
import { linesOf, runCli, transcript, type CliResult } from './support/cli.js';
import { e2eEnv } from './support/env.js';
import { commonFlags, startGitLab, type E2eGitLab } from './support/gitlab.js';
import { exec, helm, kubectl, kubectlJson, namespaceExists, type KubeList } from './support/kube.js';
import { createSandbox, type Sandbox } from './support/sandbox.js';

let sb: Sandbox;
let g: E2eGitLab;

// Each test: its own fake GitLab, helm directories, HOME and names.
beforeEach(async () => {
  sb = createSandbox('failures', 4);
  g = await startGitLab();
});
afterEach(async () => g?.close());

function install(agent: string, extra: string[], context = 'e2e-admin'): Promise<CliResult> {
  return runCli(
    sb,
    ['install', '--yes', '--project', 'group/app', '--agent', agent, '--context', context, ...commonFlags(g, e2eEnv().chartRepo), ...extra],
    {
      env: { GITLAB_TOKEN: g.pat },
    },
  );
}

async function namespaceNames(): Promise<Set<string>> {
  const list = await kubectlJson<KubeList>(['get', 'namespaces']);
  return new Set(list.items.map((n) => n.metadata.name));
}

/** Nothing reached GitLab or the cluster: no writing request, no new namespace, no helm release. */
async function expectNothingCreated(before: Set<string>, agent: string): Promise<void> {
  expect(g.mutations(), g.log()).toEqual([]);
  expect(g.gl.state.agents.size + g.gl.state.agentTokens.size, 'agents and tokens in GitLab').toBe(0);
  const added = [...(await namespaceNames())].filter((n) => !before.has(n));
  expect(added, 'namespaces that appeared').toEqual([]);
  expect(await namespaceExists(`gitlab-agent-${agent}`)).toBe(false);
  const releases = JSON.parse((await helm(sb, ['list', '-A', '-o', 'json'])).stdout) as { name: string }[];
  expect(releases.map((r) => r.name)).not.toContain(agent);
}

/**
 * The "remove it" commands the CLI printed for the cluster side (helm / kubectl lines), run as a user
 * would, in the same environment. Returns them so the test can check which were offered.
 */
/** The commands under "Or remove it:" (not the review's script, which also has kubectl lines), continuations joined. */
async function runPrintedCleanup(r: CliResult): Promise<string[]> {
  const lines = linesOf(r.stderr);
  const start = lines.findIndex((l) => l.includes('Or remove it:'));
  expect(start, transcript(r)).toBeGreaterThanOrEqual(0);
  const section: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!/^\s+\S/.test(line)) break;
    const text = line.trim();
    if (section.length > 0 && section.at(-1)!.endsWith('\\'))
      section[section.length - 1] = `${section.at(-1)!.slice(0, -1).trimEnd()} ${text}`;
    else section.push(text);
  }
  const commands = section.filter((l) => /^(helm uninstall|kubectl) /.test(l));
  for (const cmd of commands) {
    const res = await exec('/bin/sh', ['-c', cmd], sb.env);
    expect(res.code, `${cmd}\n${res.stderr}`).toBe(0);
  }
  return commands;
}

describe('after the review (exit 1, diagnosis, what is left and how to remove it)', () => {
  it('an image tag that does not exist: ErrImagePull/ImagePullBackOff diagnosis and the next step', async () => {
    const agent = sb.name('pull');
    const ns = `gitlab-agent-${agent}`;
    const r = await install(agent, ['--image-tag', 'does-not-exist']);
    expect(r.code, transcript(r)).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/✗ readiness failed: .*(ErrImagePull|ImagePullBackOff): cannot pull image \S+:does-not-exist/);
    expect(r.stderr).toMatch(/Next: Check --image-tag and --image-repository/);
    // What exists now, then how to remove it.
    const created = linesOf(r.stderr).find((l) => l.includes('This run created:'));
    expect(created, transcript(r)).toBeDefined();
    for (const what of [
      `agent ${agent} (id `,
      `namespace ${ns}`,
      'agent token ',
      `Secret ${ns}/${agent}-agent-token`,
      `helm release ${agent} in ${ns}`,
    ]) {
      expect(created).toContain(what);
    }
    expect(r.stderr).toContain('Re-run the same command to continue');
    expect(r.stderr).toContain(`helm uninstall ${agent} -n ${ns} --kube-context e2e-admin`);
    expect(r.stderr).toContain(`kubectl --context e2e-admin delete namespace ${ns}`);
    expect(r.stderr).toMatch(/revoke agent token \d+: /);
    expect(r.stderr).toMatch(new RegExp(`delete agent ${agent}: `));

    // It really is left behind, and the printed commands really remove it (including the cluster-wide binding).
    // The agent's binding to cluster-admin and container scanning's (both from the chart's defaults).
    expect((await agentObjects(ns, agent)).clusterRoleBindings).toHaveLength(2);
    const ran = await runPrintedCleanup(r);
    expect(ran.length).toBeGreaterThanOrEqual(3);
    expect((await helm(sb, ['list', '-n', ns, '-o', 'json'], { allowFail: true })).stdout).not.toContain(`"${agent}"`);
    expect((await agentObjects(ns, agent)).clusterRoleBindings).toEqual([]);
    const nsState = await kubectl(['get', 'namespace', ns, '-o', 'jsonpath={.status.phase}'], { allowFail: true });
    expect(nsState.code !== 0 || nsState.stdout === 'Terminating', `namespace ${ns}: ${nsState.stdout}${nsState.stderr}`).toBe(true);
  });

  it('a --kas-address GitLab does not serve: Ready pods, never connected, the address named within --connect-timeout', async () => {
    const agent = sb.name('wrongkas');
    const ns = `gitlab-agent-${agent}`;
    const advertised = g.gl.state.metadata.kas.externalUrl!;
    const started = Date.now();
    const r = await install(agent, ['--kas-address', 'wss://kas.elsewhere.example/-/kubernetes-agent/', '--connect-timeout', '8s']);
    expect(r.code, transcript(r)).toBe(1);
    expect(r.stderr).toMatch(/✓ Agent pods Ready/);
    expect(r.stderr).toContain('✗ connected failed: the agent pods are Ready but GitLab saw no connection within 8s');
    expect(r.stderr).toContain(
      `Next: the agent dials wss://kas.elsewhere.example/-/kubernetes-agent/, but GitLab's agent server is ${advertised}: re-run with --kas-address ${advertised}`,
    );
    expect(r.stderr).toContain(`kubectl --context e2e-admin -n ${ns} logs -l app.kubernetes.io/instance=${agent} --tail=50`);
    // Bounded by --connect-timeout (plus the install itself), not by --timeout.
    expect(Date.now() - started).toBeLessThan(80_000);
    await runPrintedCleanup(r);
  });

  it('--cleanup-on-failure: after the image cannot be pulled, what this run created is removed again', async () => {
    const agent = sb.name('undo');
    const ns = `gitlab-agent-${agent}`;
    const r = await install(agent, ['--image-tag', 'does-not-exist', '--cleanup-on-failure']);
    expect(r.code, transcript(r)).toBe(1);
    expect(r.stderr).toMatch(/✗ readiness failed: .*(ErrImagePull|ImagePullBackOff)/);
    expect(r.stderr).toContain('Cleaned up:');
    for (const what of [
      `removed helm release ${agent} in ${ns}`,
      `removed Secret ${ns}/${agent}-agent-token`,
      'removed agent token ',
      `removed namespace ${ns}`,
      `removed agent ${agent} (id `,
    ]) {
      expect(r.stderr, transcript(r)).toContain(what);
    }
    expect(r.stderr).not.toContain('could not remove');
    // GitLab: the agent (and with it its token) is gone. The cluster: no release, no binding, the namespace going.
    expect(g.gl.state.agents.size).toBe(0);
    expect([...g.gl.state.agentTokens.values()].filter((t) => t.status === 'active')).toEqual([]);
    expect((await helm(sb, ['list', '-A', '-o', 'json'])).stdout).not.toContain(`"${agent}"`);
    expect((await agentObjects(ns, agent)).clusterRoleBindings).toEqual([]);
    const nsState = await kubectl(['get', 'namespace', ns, '-o', 'jsonpath={.status.phase}'], { allowFail: true });
    expect(nsState.code !== 0 || nsState.stdout === 'Terminating', `namespace ${ns}: ${nsState.stdout}${nsState.stderr}`).toBe(true);
  });

  it('helm itself fails half-way (an annotation that is not a string): the printed cleanup leaves nothing behind', async () => {
    const agent = sb.name('helmfail');
    const ns = `gitlab-agent-${agent}`;
    // A classic: --set makes "true" a boolean; the API server rejects the Deployment after helm has
    // already created the ServiceAccount and the ClusterRoleBinding to cluster-admin.
    const r = await install(agent, ['--set', 'podAnnotations.team/oncall=true']);
    expect(r.code, transcript(r)).toBe(1);
    expect(r.stderr).toMatch(/✗ helm failed: helm exited with code 1: .*expected string/);
    expect(r.stderr).toContain('This run created:');
    // helm recorded a (failed) release: it is part of what is left, and removing it is what removes the binding.
    expect.soft(r.stderr, 'cleanup commands').toContain(`helm uninstall ${agent} -n ${ns} --kube-context e2e-admin`);
    await runPrintedCleanup(r);
    expect((await agentObjects(ns, agent)).clusterRoleBindings, 'ClusterRoleBindings left after the printed cleanup').toEqual([]);
  });

  it('a crash-looping agentk: exit 1 with the last agent log lines', async () => {
    const agent = sb.name('crash');
    const values = join(sb.cwd, 'crashloop.yaml');
    // The CLI has no --set-string, and --set would make "true" a boolean, which an annotation cannot be.
    writeFileSync(values, 'podAnnotations:\n  e2e.test/crashloop: "true"\n');
    const r = await install(agent, ['--values', values]);
    expect(r.code, transcript(r)).toBe(1);
    expect(r.stderr).toMatch(/✗ readiness failed: .*agentk keeps crashing \(\d+ restarts?, last exit 1/);
    const lines = linesOf(r.stderr);
    const at = lines.findIndex((l) => l.trim() === 'Last agent log lines:');
    expect(at, transcript(r)).toBeGreaterThanOrEqual(0);
    const logLines = lines.slice(at + 1).filter((l) => l.startsWith('    {'));
    expect(logLines.length).toBeGreaterThanOrEqual(2);
    // The fixture's previous container (agentk-unauthenticated-previous.crilog) ends like this.
    expect(logLines.join('\n')).toContain('Unauthenticated');
    expect(logLines.join('\n')).toContain('"msg":"Program aborted"');
    expect(r.stderr).toMatch(/Next: .*log lines/);
    expect(r.stderr).toContain('This run created:');
    await runPrintedCleanup(r);
  });
});

describe('before anything is created (exit 1)', () => {
  it('a context without the rights: preflight names each missing permission and creates nothing', async () => {
    const agent = sb.name('restricted');
    const before = await namespaceNames();
    const r = await install(agent, [], 'e2e-restricted');
    expect(r.code, transcript(r)).toBe(1);
    expect(r.stderr).toContain('✗ preflight failed: context "e2e-restricted" may not:');
    expect(r.stderr).toMatch(/create namespaces \(cluster-wide\) \(to create namespace gitlab-agent-/);
    // From the rendered chart, each with the object that needs it: the agent's binding and container scanning's RBAC.
    expect(r.stderr).toMatch(
      /create clusterrolebindings\.rbac\.authorization\.k8s\.io \(cluster-wide\) \(to create ClusterRoleBinding \S+-cluster-admin, which the chart renders\)/,
    );
    expect(r.stderr).toMatch(
      /create clusterroles\.rbac\.authorization\.k8s\.io \(cluster-wide\) \(to create ClusterRole \S+:ocs, which the chart renders\)/,
    );
    expect(r.stderr).toMatch(
      /create roles\.rbac\.authorization\.k8s\.io in namespace gitlab-agent-\S+ \(to create Role \S+:ocs, which the chart renders\)/,
    );
    expect(r.stderr).toContain('Nothing was created.');
    await expectNothingCreated(before, agent);
  });

  it('the same restricted context with --no-container-scanning: only the agent binding is left to refuse, named, before any GitLab write', async () => {
    const agent = sb.name('noscan');
    const before = await namespaceNames();
    const writes = g.mutations().length;
    const r = await install(agent, ['--no-container-scanning'], 'e2e-restricted');
    expect(r.code, transcript(r)).toBe(1);
    expect(r.stderr).toMatch(
      /create clusterrolebindings\.rbac\.authorization\.k8s\.io \(cluster-wide\) \(to create ClusterRoleBinding \S+-cluster-admin, which the chart renders\)/,
    );
    expect(r.stderr).not.toMatch(/:ocs/);
    expect(g.mutations().length, 'GitLab writes').toBe(writes);
    await expectNothingCreated(before, agent);
  });

  it('the same restricted context, into an existing namespace with --no-rbac: nothing cluster-wide is rendered, so it installs', async () => {
    const agent = sb.name('narrow');
    const ns = sb.name('team-narrow');
    await kubectl(['create', 'namespace', ns]);
    // --no-rbac takes container scanning with it: no ClusterRole, no binding, no Role for the chart to create.
    const r = await install(agent, ['--namespace', ns, '--no-rbac'], 'e2e-restricted');
    expect(r.code, transcript(r)).toBe(0);
    expect(r.stdout).toContain(`✓ Agent ${agent} is installed, Ready and connected.`);
    expect(r.stderr).toMatch(/Creates \(RBAC\)\s+ServiceAccount \S+/);
    expect(r.stderr).not.toMatch(/Creates \(RBAC\).*cluster-wide/);
    expect((await agentObjects(ns, agent)).clusterRoleBindings).toEqual([]);
  });

  it.each([
    [
      'e2e-closed-port',
      /context "e2e-closed-port": cannot reach https:\/\/127\.0\.0\.1:\d+: connection refused/,
      /Next: check the server address/,
    ],
    [
      'e2e-exec-fail',
      /context "e2e-exec-fail": .*credential plugin failed: the refresh token has expired, run login again/,
      /Next: the context's credential plugin failed/,
    ],
  ])('context %s: reported with the reason, nothing created', async (context, reason, next) => {
    const agent = sb.name(context.replace('e2e-', ''));
    const before = await namespaceNames();
    const r = await install(agent, [], context);
    expect(r.code, transcript(r)).toBe(1);
    expect(r.stderr).toMatch(/✗ context failed: /);
    expect(r.stderr).toMatch(reason);
    expect(r.stderr).toMatch(next);
    expect(r.stderr).toContain('Nothing was created.');
    await expectNothingCreated(before, agent);
  });
});

describe('bad input (exit 2, one line naming the field, nothing created)', () => {
  const cases: [string, string, (sb: Sandbox) => string[]][] = [
    ['an invalid agent name', '--agent', () => ['--agent', 'Bad_Name']],
    ['a CA file that does not exist', '--kas-ca-cert', (s) => ['--kas-ca-cert', join(s.cwd, 'missing-ca.pem')]],
    [
      'a CA path that cannot be read as a file',
      '--kas-ca-cert',
      (s) => {
        const dir = join(s.cwd, 'ca-dir.pem');
        mkdirSync(dir, { recursive: true });
        return ['--kas-ca-cert', dir];
      },
    ],
    ['an unknown context', '--context', () => ['--context', 'no-such-context']],
    ['an unknown flag', '--bogus-flag', () => ['--bogus-flag']],
  ];

  it.each(cases)('%s', async (_what, field, extra) => {
    const agent = sb.name('bad');
    const before = await namespaceNames();
    // Later flags win for --agent / --context; the install args are otherwise valid.
    const r = await install(agent, extra(sb));
    expect(r.code, transcript(r)).toBe(2);
    expect(r.stdout).toBe('');
    const lines = linesOf(r.stderr).filter((l) => l.trim() !== 'Nothing was created.');
    expect(lines, transcript(r)).toHaveLength(1);
    expect(lines[0]).toMatch(/^(gitlab-agent-tui: |✗ )/);
    expect(lines[0]).toContain(field);
    await expectNothingCreated(before, agent);
  });
});

describe('--dry-run', () => {
  it('exit 0, prints the plan and the helm command, creates nothing', async () => {
    const agent = sb.name('dry');
    const before = await namespaceNames();
    const r = await install(agent, ['--dry-run']);
    expect(r.code, transcript(r)).toBe(0);
    expect(r.stdout).toContain('✓ Dry run: nothing was created.');
    expect(r.stdout).toContain(
      // One flag a line (nothing wraps it), the token Secret step before it, the heredoc's end marker at column 0.
      `helm upgrade --install ${agent} gitlab-agent \\\n  --namespace gitlab-agent-${agent} \\\n  --repo ${e2eEnv().chartRepo} \\\n  --kube-context e2e-admin \\\n  -f - <<'VALUES'\n`,
    );
    expect(r.stdout).toContain(`secretName: ${agent}-agent-token`);
    // Continued lines joined: the token Secret read from a file, never the token.
    expect(r.stdout.replace(/ \\\n\s+/g, ' ')).toContain(
      `-n gitlab-agent-${agent} create secret generic ${agent}-agent-token --from-file=token=./agent-token`,
    );
    expect(r.stdout).toMatch(/^VALUES$/m);
    expect(r.stderr).toContain('Review');
    await expectNothingCreated(before, agent);
  });
});
