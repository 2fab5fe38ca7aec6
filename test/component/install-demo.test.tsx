import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { MENU } from '../../src/core/commands/registry.js';
import { DEMO_AGENT_TOKEN } from '../../src/demo/seed.js';
import { App } from '../../src/ui/tui/App.js';
import { SEEDED_CLUSTERS, clusterState, fastWorld, gitlabWrites, tokenSecret } from '../support/demo-world.js';
import { KEY, allFrames, frame, press, setRows, squash, waitFor, waitForText } from './helpers.js';
import { answerInstallWizard, demoRunner } from './demo-install-driver.js';
import { buildProgram, type Invocation } from '../../src/cli/program.js';
import { INSTALL_OPTION_IDS } from '../../src/core/flows/install/options.js';
import { optionValues } from '../../src/core/options/catalogue.js';
import { shellWords } from '../support/shell-words.js';

/**
 * The real App over the real install command on the demo world (the one `npm run demo` shows), driven
 * by key presses. What reached GitLab, helm and the cluster is read from the world afterwards.
 */

afterEach(() => cleanup());

describe('the install wizard over the demo world', () => {
  it('goes from the menu through every question and the review to "installed, Ready and connected"', async () => {
    const world = fastWorld();
    const exits: number[] = [];
    const r = render(<App menu={MENU} start={demoRunner(world)} simulated version="0.1.0" onExit={(c) => exits.push(c)} />);
    setRows(r, 40);

    await waitForText(r, 'What do you want to do?');
    expect(frame(r)).toContain('SIMULATION');
    await press(r, KEY.enter);
    await answerInstallWizard(r, { agent: 'demo' });

    // The review: every setting and the helm command one could paste; nothing exists yet.
    const review = squash(frame(r));
    expect(review).toContain('helm upgrade --install demo gitlab-agent');
    expect(review).toContain('gitlab-agent-demo (will be created)');
    expect(world.record.helm).toEqual([]);
    expect(gitlabWrites(world)).toEqual([]);
    await press(r, KEY.enter);

    await waitFor(
      () => exits.length > 0,
      () => `exit; frame:\n${frame(r)}`,
      15_000,
    );
    const f = frame(r);
    expect(exits).toEqual([0]);
    expect(f).toContain('Agent demo is installed, Ready and connected.');
    expect(f).toContain('✓ Kubernetes context');
    expect(f).toMatch(/✓ .*2\/2 pods ready/);
    expect(f).toContain('What exists now');
    expect(f).toMatch(/created\s+agent\s+\d+ · agent demo \(id \d+\) in demo-group\/infrastructure/);
    expect(f).toMatch(/created\s+secret\s+gitlab-agent-demo\/demo-agent-token/);
    expect(f).not.toContain('exit code');
    // helm's tail is gone once it succeeded; the readiness panel too.
    expect(f).not.toContain('STATUS: deployed');
    expect(f).not.toContain('Readiness waiting');

    // What reached GitLab, helm and the cluster.
    const agent = world.gitlab.agents.find((a) => a.name === 'demo')!;
    expect(world.record.gitlab).toEqual(
      expect.arrayContaining([`POST /projects/42/cluster_agents`, `POST /projects/42/cluster_agents/${agent.id}/tokens`]),
    );
    expect(world.record.helm.map((h) => h.args.slice(0, 3).join(' '))).toEqual(['upgrade --install demo']);
    const secret = tokenSecret(world, 'demo-prod', 'gitlab-agent-demo', 'demo-agent-token');
    expect(secret?.token.reveal()).toBe(DEMO_AGENT_TOKEN);
    expect(clusterState(world)['demo-prod']!.releases).toEqual(['gitlab-agent-demo/demo#1']);
    // Neither the agent token nor the GitLab token was ever on screen.
    expect(allFrames(r)).not.toContain(DEMO_AGENT_TOKEN);
    expect(allFrames(r)).not.toContain('demo-token');
  });

  it('ends with next steps and the equivalent command line, whose flags the CLI reads back as the same answers', async () => {
    const world = fastWorld();
    const exits: number[] = [];
    const r = render(<App menu={MENU} initialCommand="install" start={demoRunner(world)} onExit={(c) => exits.push(c)} />);
    setRows(r, 60);
    await answerInstallWizard(r, { agent: 'repeat' });
    await press(r, KEY.enter);
    await waitFor(
      () => exits.length > 0,
      () => `exit; frame:\n${frame(r)}`,
      15_000,
    );
    const f = frame(r);
    expect(exits).toEqual([0]);
    const ending = f.slice(f.indexOf('Agent repeat is installed, Ready and connected.'));
    expect(ending).toContain('Next steps:');
    // Each next step a command of this tool, continued over lines no terminal wraps: joined, the exact commands.
    const joined = ending.replace(/ \\\n {6}/g, ' ');
    expect(joined).toContain('Status: gitlab-agent-tui status --context demo-prod --namespace gitlab-agent-repeat --gitlab-url https://gitlab.example.com\n');
    expect(joined).toContain('In GitLab: https://gitlab.example.com/demo-group/infrastructure/-/cluster_agents/repeat\n');
    expect(joined).toContain('Upgrade: gitlab-agent-tui upgrade --context demo-prod --namespace gitlab-agent-repeat --release repeat --gitlab-url https://gitlab.example.com\n');
    expect(joined).toContain(
      'Uninstall: gitlab-agent-tui uninstall --context demo-prod --namespace gitlab-agent-repeat --release repeat --gitlab-url https://gitlab.example.com --project demo-group/infrastructure --revoke-agent-token --delete-agent\n',
    );
    expect(ending).toContain('The same install without questions (for CI; the GitLab token comes from GITLAB_TOKEN):');
    // Printed raw, at column 0, one flag a line: copied from the terminal it runs as it is.
    const lines = ending.split('\n');
    const start = lines.indexOf('gitlab-agent-tui install --yes \\');
    expect(start, ending).toBeGreaterThan(0);
    const end = lines.findIndex((l, i) => i > start && !l.endsWith(' \\'));
    const command = lines.slice(start, end + 1).join('\n');
    expect(command).not.toMatch(/[│╭╰]/);
    const argv = shellWords(command).slice(1);
    let inv: Invocation | undefined;
    await buildProgram('0.0.0', (i) => (inv = i)).parseAsync(argv, { from: 'user' });
    if (inv?.kind !== 'command') throw new Error(`not a command: ${command}`);
    expect(inv.command.id).toBe('install');
    expect(inv.globals.yes).toBe(true);
    expect(optionValues(INSTALL_OPTION_IDS, inv.raw)).toMatchObject({
      context: 'demo-prod',
      gitlabUrl: 'https://gitlab.example.com',
      project: 'demo-group/infrastructure',
      agent: 'repeat',
      method: 'helm',
      namespace: 'gitlab-agent-repeat',
      release: 'repeat',
      imageTag: 'v18.6.1',
      chartVersion: undefined,
      noRbac: false,
      createConfig: undefined,
      httpsProxy: undefined,
    });
    expect(allFrames(r)).not.toContain('demo-token');
    expect(allFrames(r)).not.toContain(DEMO_AGENT_TOKEN);
  });

  it('a tag that does not exist: the readiness panel shows the pull failure, and cleanup on request removes it all', async () => {
    const world = fastWorld();
    const exits: number[] = [];
    const r = render(<App menu={MENU} initialCommand="install" start={demoRunner(world)} onExit={(c) => exits.push(c)} />);
    setRows(r, 50);
    await answerInstallWizard(r, { agent: 'broken', imageTag: 'does-not-exist' });
    await press(r, KEY.enter);

    // The wait ends at the first pull error; the cleanup question comes with the evidence on screen.
    let f = await waitForText(r, /Remove what this run created \(agent, namespace, token, secret, release\)\? \(y\/N\)/, 15_000);
    const live = squash(f);
    expect(live).toContain('Readiness failed');
    expect(live).toMatch(/broken-gitlab-agent-v2-\w+-\w+ +Pending +ready 0\/1 +restarts 0 +waiting ErrImagePull/);
    expect(live).toContain(
      'ErrImagePull: cannot pull image registry.gitlab.com/gitlab-org/cluster-integration/gitlab-agent/agentk:does-not-exist',
    );
    expect(live).toContain('→ Check --image-tag and --image-repository');
    expect(clusterState(world)['demo-prod']!.releases).toEqual(['gitlab-agent-broken/broken#1']);

    await press(r, 'y');
    await waitFor(
      () => exits.length > 0,
      () => `exit; frame:\n${frame(r)}`,
      15_000,
    );
    f = frame(r);
    expect(exits).toEqual([1]);
    expect(f).toMatch(/readiness failed: broken-gitlab-agent-v2-\w+-\w+: ErrImagePull/);
    expect(f).toContain('Cleaned up:');
    // Removed means removed: said once, and not listed as created or as existing (issue 11, part 6).
    const report = f.slice(f.lastIndexOf('Cleaned up:'));
    for (const what of ['helm release broken in gitlab-agent-broken', 'Secret gitlab-agent-broken/broken-agent-token', 'agent token ', 'namespace gitlab-agent-broken', 'agent broken (id ']) {
      expect(report).toContain(`removed ${what}`);
    }
    expect(report).not.toContain('What exists now');
    expect(report).not.toMatch(/created\s+(agent|namespace|token|secret|release)\s/);
    expect(report).toContain('Nothing was left behind.');
    expect(f).not.toContain('exit code');
    // Everything this run made is gone again, in the cluster and in GitLab.
    expect(clusterState(world)).toEqual(SEEDED_CLUSTERS);
    expect(world.gitlab.agents.map((a) => a.name)).toEqual(['staging']);
    expect(world.record.helm.map((h) => h.args.slice(0, 2).join(' '))).toEqual(['upgrade --install', 'uninstall broken']);
  });

  it('Ctrl-C while helm runs stops it: exit 130, and the screen says what this run created', async () => {
    let helmStarted = false;
    // helm prints its first lines, then hangs (as on a slow chart download) until it is stopped.
    const world = fastWorld({ onHelm: () => ((helmStarted = true), new Promise<void>(() => undefined)) });
    const exits: number[] = [];
    const r = render(<App menu={MENU} initialCommand="install" start={demoRunner(world)} onExit={(c) => exits.push(c)} />);
    setRows(r, 40);
    await answerInstallWizard(r, { agent: 'halt' });
    await press(r, KEY.enter);

    let f = await waitForText(r, 'Release "halt" does not exist. Installing it now.', 15_000);
    expect(f).toMatch(/helm · \d+ lines/);
    await waitFor(
      () => helmStarted,
      () => 'helm to reach the hook',
    );
    await press(r, KEY.ctrlC);

    await waitFor(
      () => exits.length > 0,
      () => `exit; frame:\n${frame(r)}`,
      15_000,
    );
    f = frame(r);
    expect(exits).toEqual([130]);
    expect(f).toContain('Cancelled.');
    expect(f).toMatch(/✗ helm upgrade --install .*cancelled/);
    expect(f).toContain('What exists now');
    // Listed once: the table, not also the "This run created" line plain mode prints.
    expect(f).not.toContain('This run created:');
    expect(f).toContain('Re-run the same command to continue');
    expect(f).toMatch(/created\s+agent\s+\d+ · agent halt/);
    expect(f).toMatch(/created\s+namespace\s+gitlab-agent-halt/);
    expect(f).toMatch(/created\s+secret\s+gitlab-agent-halt\/halt-agent-token/);
    expect(f).not.toContain('exit code');
    // helm was stopped before it created anything; what the screen lists is what the cluster holds.
    expect(clusterState(world)['demo-prod']!.releases).toEqual([]);
    expect(clusterState(world)['demo-prod']!.secrets).toEqual(['gitlab-agent-halt/halt-agent-token']);
  });

  it('Cancel at the review ends with exit 130, saying and leaving nothing created', async () => {
    const world = fastWorld();
    const exits: number[] = [];
    const r = render(<App menu={MENU} initialCommand="install" start={demoRunner(world)} onExit={(c) => exits.push(c)} />);
    setRows(r, 40);
    await answerInstallWizard(r, { agent: 'demo' });
    // Cancel is the last choice: up from the first wraps to it, however many choices come between.
    await press(r, KEY.up);
    await waitForText(r, /❯ Cancel +nothing has been created/);
    await press(r, KEY.enter);
    await waitFor(
      () => exits.length > 0,
      () => `exit; frame:\n${frame(r)}`,
      15_000,
    );
    expect(exits).toEqual([130]);
    expect(frame(r)).toContain('■ Cancelled at review: nothing was created.');
    expect(gitlabWrites(world)).toEqual([]);
    expect(world.record.helm).toEqual([]);
    expect(clusterState(world)).toEqual(SEEDED_CLUSTERS);
  });

  it('asks for the GitLab token at a masked prompt when the environment has none; Ctrl-C at the next question leaves nothing', async () => {
    const typed = 'glpat-typed-fake-token';
    const world = fastWorld();
    const exits: number[] = [];
    const r = render(<App menu={MENU} initialCommand="install" start={demoRunner(world, {})} onExit={(c) => exits.push(c)} />);
    await waitForText(r, /demo-prod .*✓ v1\.35\.7/);
    await press(r, KEY.enter);
    await waitForText(r, '(--method)');
    await press(r, KEY.enter);
    await waitForText(r, 'Personal access token for gitlab.example.com (scope api)');
    await press(r, typed);
    await waitForText(r, '*'.repeat(typed.length));
    await press(r, KEY.enter);
    // The typed token signed in (GitLab answered as demo-user), then the next question came.
    const f = await waitForText(r, '(--project)');
    expect(f).toContain('signed in as demo-user');
    expect(world.record.gitlab.slice(0, 1)).toEqual(['GET /user']);
    await press(r, KEY.ctrlC);
    await waitFor(
      () => exits.length > 0,
      () => `exit; frame:\n${frame(r)}`,
    );
    expect(exits).toEqual([130]);
    expect(frame(r)).toContain('Nothing was left behind.');
    expect(allFrames(r)).not.toContain(typed);
    expect(gitlabWrites(world)).toEqual([]);
  });
});
