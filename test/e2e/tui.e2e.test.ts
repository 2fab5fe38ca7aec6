/**
 * Case 6: the Ink TUI on a real terminal (tmux, 120×40, CI unset so Ink draws live frames).
 *  - the bare binary shows the main menu; Install opens the context picker; Ctrl-C exits 130;
 *  - the whole wizard with keys (context, method, project search, agent name, defaults, review → Install)
 *    ends in the "installed, Ready and connected" summary and exit 0;
 *  - Ctrl-C while the pods are coming up exits 130 and lists what the run left and how to remove it.
 * Every wait polls the screen with a bound; keys are sent only once the prompt they answer is drawn.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agentObjects } from './support/agent-objects.js';
import { e2eEnv } from './support/env.js';
import { startGitLab, type E2eGitLab } from './support/gitlab.js';
import { helmRevisions, namespaceExists } from './support/kube.js';
import { pollUntil } from './support/poll.js';
import { createSandbox, type Sandbox } from './support/sandbox.js';
import { TmuxSession } from './support/tmux.js';

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** Keys go to a prompt only after its frame is drawn; this covers Ink subscribing to input after the paint. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

let session: TmuxSession | undefined;
let gitlab: E2eGitLab | undefined;
afterEach(async () => {
  await session?.kill();
  await gitlab?.close();
  session = undefined;
  gitlab = undefined;
});

async function start(sb: Sandbox, g: E2eGitLab, args: string[]): Promise<TmuxSession> {
  session = await TmuxSession.start(sb, [process.execPath, e2eEnv().appBin, ...args], {
    env: { GITLAB_TOKEN: g.pat, GITLAB_HOST: g.gl.url },
  });
  return session;
}

/** Answers every question of the install wizard with keys, up to and including "Install" at the review. */
async function driveWizard(t: TmuxSession, g: E2eGitLab, agent: string): Promise<void> {
  await t.waitFor(/\? Which cluster should the agent run in\? \(--context\)/, 'the context picker');
  // The probe result arrives live in the hint; e2e-admin is the current context, so it is highlighted.
  await t.waitFor(/❯ e2e-admin +https:\/\/127\.0\.0\.1:\d+ · current · ✓ v1\./, 'e2e-admin probed and highlighted');
  await settle();
  await t.keys('Enter');

  await t.waitFor(/\? How should the agent be installed\? \(--method\)\n❯ Helm/, 'the method question');
  await settle();
  await t.keys('Enter');

  await t.waitFor(/\? Project that holds the agent \(path or id\) \(--project\)/, 'the project search');
  await settle();
  await t.type('group/ap');
  // Search as you type: GitLab answers a search for the typed text, then the list shows its result.
  await pollUntil(
    () => g.gl.requests.some((r) => r.path === '/api/v4/projects' && r.query.search === 'group/ap' && r.status === 200),
    'GitLab to be searched for "group/ap"',
  );
  await t.waitFor(/› group\/ap\n❯ group\/app +App/, 'the search result for "group/ap"');
  await settle();
  await t.keys('Enter');

  await t.waitFor(/\? Agent name \(--agent\)/, 'the agent name prompt');
  await settle();
  await t.type(agent);
  await t.waitFor(new RegExp(`› ${esc(agent)}\\s*$`, 'm'), 'the typed agent name');
  await t.keys('Enter');

  const defaults: [RegExp, string][] = [
    [new RegExp(`\\? Namespace for the agent \\(--namespace\\)\\n.*\\n› gitlab-agent-${esc(agent)}`), 'the namespace default'],
    [new RegExp(`\\? Helm release name \\(--release\\)\\n.*\\n› ${esc(agent)}`), 'the release default'],
    // The fake's KAS reports release 17.6.2: GitLab's own install command uses it, patch included.
    [/\? agentk image tag \(--image-tag\)\n.*\n› v17\.6\.2/, 'the image tag default (KAS 17.6.2)'],
    [/\? Chart version \(--chart-version\)/, 'the chart version prompt'],
  ];
  for (const [prompt, what] of defaults) {
    await t.waitFor(prompt, what);
    await settle();
    await t.keys('Enter');
  }
  await t.waitFor(/\? Does the cluster reach GitLab through an HTTP proxy\? \(y\/N\)/, 'the proxy question');
  await settle();
  await t.keys('n');
  await t.waitFor(/\? Is the agent server \(KAS\) behind a self-signed or private CA certificate\? \(y\/N\)/, 'the KAS CA question');
  await settle();
  await t.keys('n');
  await t.waitFor(/\? What may the agent do in the cluster\? \(--existing-role\)\n.*\n❯ cluster-admin/, 'the RBAC question');
  await settle();
  await t.keys('Enter');
  await t.waitFor(/\? Commit \.gitlab\/agents\/.*\(--create-config\)\n.*\n❯ no/, 'the config file question');
  await settle();
  await t.keys('Enter');
  await t.waitFor(/\? Change advanced options\? .*\(y\/N\)/, 'the advanced options question');
  await settle();
  await t.keys('n');

  await t.waitFor(/\? Install with these settings\?\n❯ Install/, 'the review', 30_000);
  const all = await t.everything();
  expect(all).toMatch(new RegExp(`Agent +${esc(agent)} \\(will be registered\\)`));
  expect(all).toContain(`--repo ${e2eEnv().chartRepo}`);
  await settle();
  await t.keys('Enter');
}

describe('TUI in tmux', () => {
  it('the bare binary shows the main menu; Install opens the context picker; Ctrl-C exits 130', async () => {
    const sb = createSandbox('tui-menu', 4);
    gitlab = await startGitLab();
    const t = await start(sb, gitlab, []);
    const menu = await t.waitFor(/What do you want to do\?/, 'the main menu');
    expect(menu).toMatch(/❯ Install +Register an agent and install it with Helm/);
    // Every item is available: none says so.
    for (const item of ['Troubleshoot', 'Upgrade', 'Uninstall', 'Status', 'Rotate token'])
      expect(menu).toMatch(new RegExp(`${item} +[A-Z]`));
    expect(menu).not.toContain('unavailable');
    expect(menu).toMatch(/↑↓ move · ⏎ select · q quit · ctrl-c cancel/);
    await settle();
    await t.keys('Enter');
    const picker = await t.waitFor(/\? Which cluster should the agent run in\? \(--context\)/, 'the context picker');
    for (const ctx of ['e2e-admin', 'e2e-closed-port', 'e2e-exec-fail', 'e2e-restricted']) expect(picker).toContain(ctx);
    // The background probes report into the list.
    await t.waitFor(/e2e-exec-fail .*✗ credential plugin failed/, 'the failed probe of e2e-exec-fail');
    await settle();
    await t.keys('C-c');
    expect(await t.exitCode()).toBe(130);
    expect(await t.everything()).toMatch(/Cancelled\./);
    expect(gitlab.mutations()).toEqual([]);
  });

  it('the install wizard, answered with keys, ends Ready and connected with exit 0', async () => {
    const sb = createSandbox('tui-install', 4);
    gitlab = await startGitLab();
    const agent = sb.name('tui');
    const t = await start(sb, gitlab, ['install', '--chart-repo', e2eEnv().chartRepo]);
    await driveWizard(t, gitlab, agent);

    // The ending (next steps, the equivalent command) is taller than the screen: wait for its last line, read the scrollback.
    await t.waitFor(/The same install without questions/, 'the end of the report', 90_000);
    expect(await t.exitCode()).toBe(0);
    const all = await t.everything();
    expect(all).toContain(`✓ Agent ${agent} is installed, Ready and connected.`);
    expect(all).toMatch(/What exists now/);
    expect(all.replace(/\s+/g, ' ')).toMatch(new RegExp(`created +release +gitlab-agent-${esc(agent)}/${esc(agent)}`));
    // The report is the last thing the program prints: no "exit code N" line under it.
    expect(all).not.toContain('exit code');

    const o = await agentObjects(`gitlab-agent-${agent}`, agent);
    expect(o.deployments).toHaveLength(1);
    expect(o.deployments[0]!.status?.readyReplicas).toBe(o.deployments[0]!.spec.replicas);
    expect(gitlab.gl.state.agentsOf(gitlab.world.project).map((a) => a.name)).toEqual([agent]);
    expect(gitlab.gl.state.agentTokens.size).toBe(1);
  });

  it('Ctrl-C while the pods come up exits 130 and shows what the run left and how to remove it', async () => {
    const sb = createSandbox('tui-cancel', 4);
    gitlab = await startGitLab();
    const agent = sb.name('tuic');
    const ns = `gitlab-agent-${agent}`;
    // kwok keeps these pods Pending for a minute: time to press Ctrl-C during the readiness wait.
    const values = join(sb.cwd, 'slow.yaml');
    writeFileSync(values, 'podAnnotations:\n  e2e.test/ready-delay: "60s"\n');
    const t = await start(sb, gitlab, ['install', '--chart-repo', e2eEnv().chartRepo, '--values', values]);
    await driveWizard(t, gitlab, agent);

    await t.waitFor(/Agent pods Ready \d+s/, 'the readiness wait', 60_000);
    await t.waitFor(/Readiness waiting/, 'the readiness panel');
    await settle();
    await t.keys('C-c');
    expect(await t.exitCode(30_000)).toBe(130);
    const all = await t.everything();
    // Ink wraps long lines at 120 columns itself (real newlines): compare with whitespace collapsed.
    const flat = all.replace(/\s+/g, ' ');
    expect(all).toContain('■ Cancelled.');
    // Each thing listed once: the "What exists now" table below, not also plain mode's "This run created" line.
    expect(flat).not.toContain('This run created:');
    expect(flat).toContain('Re-run the same command to continue');
    expect(flat).toContain(`helm uninstall ${agent} -n ${ns} --kube-context e2e-admin`);
    expect(all).toMatch(/What exists now/);
    for (const kind of ['agent', 'namespace', 'token', 'secret', 'release']) expect(all).toMatch(new RegExp(`^ +created +${kind} `, 'm'));
    expect(all).not.toContain('exit code');

    // What it says is left is really there.
    expect(await namespaceExists(ns)).toBe(true);
    expect(await helmRevisions(sb, agent, ns)).toEqual([1]);
    expect(gitlab.gl.state.agentsOf(gitlab.world.project).map((a) => a.name)).toEqual([agent]);
  });
});
