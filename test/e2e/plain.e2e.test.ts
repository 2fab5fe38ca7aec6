/**
 * The --plain front end (@inquirer/prompts, line by line) on a real terminal: the same questions as the
 * TUI, answered with keys, ending Ready and connected with exit 0.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { agentObjects } from './support/agent-objects.js';
import { e2eEnv } from './support/env.js';
import { startGitLab, type E2eGitLab } from './support/gitlab.js';
import { createSandbox } from './support/sandbox.js';
import { TmuxSession } from './support/tmux.js';

const settle = () => new Promise((resolve) => setTimeout(resolve, 200));

let session: TmuxSession | undefined;
let gitlab: E2eGitLab | undefined;
afterEach(async () => {
  await session?.kill();
  await gitlab?.close();
});

describe('--plain in tmux', () => {
  it('asks line by line, shows probed contexts, and installs with exit 0', async () => {
    const sb = createSandbox('plain', 4);
    gitlab = await startGitLab();
    const agent = sb.name('plain');
    const t = (session = await TmuxSession.start(
      sb,
      [process.execPath, e2eEnv().appBin, '--plain', 'install', '--chart-repo', e2eEnv().chartRepo],
      {
        env: { GITLAB_TOKEN: gitlab.pat, GITLAB_HOST: gitlab.gl.url },
      },
    ));
    // The line-by-line picker waits for the probes, so it shows their results, not "probing…".
    await t.waitFor(/\? Which cluster should the agent run in\?/, 'the context question', 30_000);
    await t.waitFor(/current · ✓ v1\.35/, 'the probed current context');
    await settle();
    await t.keys('Enter');
    await t.waitFor(/\? How should the agent be installed\?/, 'the method question');
    await settle();
    await t.keys('Enter');
    await t.waitFor(/\? Project that holds the agent/, 'the project search');
    await settle();
    await t.type('group/ap');
    await t.waitFor(/❯ group\/app/, 'the search result listed first');
    await settle();
    await t.keys('Enter');
    await t.waitFor(/\? Agent name/, 'the agent name');
    await settle();
    await t.type(agent);
    await t.keys('Enter');
    // Every remaining question: its default.
    for (const q of [
      /\? Namespace for the agent/,
      /\? Helm release name/,
      /\? agentk image tag/,
      /\? Chart version/,
      /\? Does the cluster reach GitLab through an HTTP proxy\?/,
      /\? Is the agent server \(KAS\) behind/,
      /\? What may the agent do in the cluster\?/,
      /\? Commit \.gitlab\/agents/,
      /\? Change advanced options\?/,
      /\? Install with these settings\?/,
    ]) {
      await t.waitFor(q, String(q), 30_000);
      await settle();
      await t.keys('Enter');
    }
    await t.waitFor(/installed, Ready and connected/, 'the outcome', 90_000);
    expect(await t.exitCode()).toBe(0);
    // The ending: next steps, then the same install as flags (the chart repository given on the command line too).
    const all = await t.everything();
    expect(all).toMatch(/^ {2}Uninstall: gitlab-agent-tui uninstall /m);
    expect(all).toContain('The same install without questions (for CI; the GitLab token comes from GITLAB_TOKEN):');
    expect(all).toMatch(/^gitlab-agent-tui install --yes \\$/m);
    expect(all).toContain(`  --agent ${agent} \\`);
    expect(all).toContain(`  --chart-repo ${e2eEnv().chartRepo}`);
    expect(all).not.toContain(gitlab.pat);
    const o = await agentObjects(`gitlab-agent-${agent}`, agent);
    expect(o.deployments).toHaveLength(1);
    expect([...gitlab.gl.state.agents.values()].map((a) => a.name)).toContain(agent);
  });
});
