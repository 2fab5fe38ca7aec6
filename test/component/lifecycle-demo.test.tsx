import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { MENU } from '../../src/core/commands/registry.js';
import { App } from '../../src/ui/tui/App.js';
import { fastWorld } from '../support/demo-world.js';
import { KEY, allFrames, frame, press, setRows, squash, waitFor, waitForText, type Rendered } from './helpers.js';
import { demoRunner } from './demo-install-driver.js';

/**
 * The lifecycle commands in the real App over the demo world (staging runs agent "staging", release 3,
 * with two active tokens; demo-offline is unreachable), driven by key presses.
 */

afterEach(() => cleanup());

async function start(command: string, world = fastWorld()) {
  const exits: number[] = [];
  const r = render(<App menu={MENU} initialCommand={command} start={demoRunner(world)} simulated version="0.1.0" onExit={(c) => exits.push(c)} />);
  // A wide terminal, so the status table's rows fit whole.
  Object.defineProperty(r.stdout, 'columns', { value: 150, configurable: true });
  setRows(r, 60);
  return { r, exits, world };
}

/** The context picker: move to demo-staging and take it. */
async function pickStaging(r: Rendered) {
  await waitForText(r, /demo-staging .*✓ v1\.35\.7/);
  while (!frame(r).includes('❯ demo-staging')) await press(r, KEY.down);
  await press(r, KEY.enter);
}

const exited = (exits: number[], r: Rendered, ms = 15_000) => waitFor(() => exits.length > 0, () => `exit; frame:\n${frame(r)}`, ms);

describe('lifecycle screens over the demo world', () => {
  it('status: pick contexts, see a line per install as it arrives, then the table stays open until q', async () => {
    const { r, exits } = await start('status');
    await waitForText(r, 'Which clusters should be looked at?');
    expect(frame(r)).toContain('space toggle');
    await press(r, KEY.down, ' ', KEY.down, ' ', KEY.enter);
    await waitForText(r, 'Rotate the agent token of one of these installs?', 10_000);
    expect(allFrames(r)).toMatch(/✓ demo-staging · gitlab-agent-staging\/staging: 2\/2 Ready · agentk v18\.6\.0 ok/);
    expect(allFrames(r)).toMatch(/– demo-offline \d+s \(skipped\) · unreachable/);
    await press(r, KEY.enter); // no
    const f = await waitForText(r, 'CONTEXT', 10_000);
    expect(f).toMatch(/CONTEXT\s+AGENT\s+READY\s+VERSION\s+TOKEN\s+GITLAB/);
    expect(f).toMatch(/demo-staging\s+gitlab-agent-staging\/staging\s+2\/2\s+v18\.6\.0 ok\s+32 · 30d old · used <1m ago\s+token used <1m ago/);
    expect(f).toMatch(/demo-offline\s+-\s+-\s+-\s+-\s+unreachable: connect ECONNREFUSED/);
    expect(f).toContain('1 agent in 3 contexts: 1 context unreachable.');
    expect(exits).toEqual([]);
    await press(r, 'q');
    await exited(exits, r);
    expect(exits).toEqual([1]);
  });

  it('upgrade: the values and manifest diff, then Upgrade, then the result table', async () => {
    const { r, exits, world } = await start('upgrade');
    await pickStaging(r);
    // The only install is not asked for: it is said as a fact.
    await waitForText(r, 'ℹ Which agents do you want to upgrade? gitlab-agent-staging/staging (the only choice)');
    await waitForText(r, '(--image-tag)');
    await press(r, KEY.enter); // GitLab's recommendation
    await waitForText(r, '(--chart-version)');
    await press(r, KEY.enter);
    await waitForText(r, 'Change any setting as well?');
    await press(r, ' ', KEY.enter); // HTTP proxy
    await waitForText(r, 'through an HTTP proxy? (y/N)');
    await press(r, 'y');
    await waitForText(r, '(--https-proxy)');
    await press(r, 'http://proxy.internal:3128', KEY.enter);
    await waitForText(r, '(--http-proxy)');
    await press(r, KEY.enter);
    await waitForText(r, '(--no-proxy)');
    await press(r, KEY.enter);
    const review = squash(await waitForText(r, 'Upgrade gitlab-agent-staging/staging?', 10_000));
    expect(review).toContain('Values of gitlab-agent-staging/staging (credentials masked)');
    expect(review).toContain('+ extraEnv[name=HTTPS_PROXY].value: "http://proxy.internal:3128"');
    expect(review).toContain('- image.tag: "v18.6.0" + image.tag: "v18.6.1"');
    expect(review).toContain('What the chart changes in gitlab-agent-staging/staging');
    expect(review).toContain('~ Deployment gitlab-agent-staging/staging-gitlab-agent-v2');
    expect(review).toContain('helm upgrade staging gitlab-agent \\ --namespace gitlab-agent-staging \\');
    expect(world.record.helm.filter((h) => h.args[0] === 'upgrade')).toEqual([]);
    await press(r, KEY.enter);
    const f = await waitForText(r, 'RESULT', 15_000);
    expect(f).toMatch(/gitlab-agent-staging\/staging\s+gitlab-agent-\S+ · v18\.6\.0\s+newest · v18\.6\.1\s+✓ upgraded/);
    expect(f).toContain('gitlab-agent-staging/staging is upgraded, Ready and connected.');
    await press(r, 'q');
    await exited(exits, r);
    expect(exits).toEqual([0]);
    expect(world.clusters.get('demo-staging')!.releases[0]!.revisions.at(-1)!.values).toMatchObject({ extraEnv: [{ name: 'HTTPS_PROXY', value: 'http://proxy.internal:3128' }, { name: 'NO_PROXY', value: expect.any(String) }] });
  });

  it('upgrade: "Advanced options" asks the install\'s questions, defaults from the release; a changed answer is in the diff and the new revision', async () => {
    const { r, exits, world } = await start('upgrade');
    const before = structuredClone(world.clusters.get('demo-staging')!.releases[0]!.revisions.at(-1)!.values);
    await pickStaging(r);
    await waitForText(r, 'ℹ Which agents do you want to upgrade? gitlab-agent-staging/staging (the only choice)');
    await waitForText(r, '(--image-tag)');
    await press(r, KEY.enter);
    await waitForText(r, '(--chart-version)');
    await press(r, KEY.enter);
    await waitForText(r, 'Change any setting as well?');
    expect(frame(r)).toContain('Advanced options');
    while (!frame(r).includes('❯ [ ] Advanced options')) await press(r, KEY.down);
    await press(r, ' ', KEY.enter);
    // The release runs the chart's 2 replicas: that is the answer already typed in.
    const replicas = await waitForText(r, '(--replicas)');
    expect(replicas).toMatch(/Replicas.*\n?.*2/);
    await press(r, KEY.backspace, '3', KEY.enter);
    await waitForText(r, '(--requests)');
    await press(r, KEY.enter);
    await waitForText(r, '(--limits)');
    await press(r, KEY.enter);
    await waitForText(r, '(--node-selector)');
    await press(r, 'pool=agents', KEY.enter);
    for (const flag of ['--toleration', '--priority-class', '--image-pull-secret', '--pod-label', '--pod-annotation', '--kas-header', '--kas-tls-server-name']) {
      await waitForText(r, `(${flag})`);
      await press(r, KEY.enter);
    }
    const review = squash(await waitForText(r, 'Upgrade gitlab-agent-staging/staging?', 10_000));
    expect(review).toContain('+ replicas: 3');
    expect(review).toContain('+ nodeSelector.pool: "agents"');
    expect(world.record.helm.filter((h) => h.args[0] === 'upgrade')).toEqual([]);
    await press(r, KEY.enter);
    await waitForText(r, 'RESULT', 15_000);
    await press(r, 'q');
    await exited(exits, r);
    expect(exits).toEqual([0]);
    const after = world.clusters.get('demo-staging')!.releases[0]!.revisions.at(-1)!.values;
    expect(after).toEqual({ ...before, image: after.image, replicas: 3, nodeSelector: { pool: 'agents' } });
  });

  it('uninstall: a wrong typed name is refused and nothing is removed; the right one removes the release', async () => {
    const { r, exits, world } = await start('uninstall');
    await pickStaging(r);
    await waitForText(r, 'ℹ Which agent do you want to uninstall? gitlab-agent-staging/staging (the only choice)');
    for (const q of ['Revoke token 32', 'Delete the agent staging', 'Delete .gitlab/agents/staging/config.yaml']) {
      await waitForText(r, q, 10_000);
      await press(r, KEY.enter); // default no
    }
    await waitForText(r, 'Type the release name (staging) to uninstall it', 10_000);
    expect(squash(frame(r))).toContain('keep staging registered in demo-group/infrastructure');
    await press(r, 'stagin', KEY.enter);
    await waitForText(r, 'type "staging" exactly to confirm');
    expect(world.record.helm).toEqual([]);
    expect(world.clusters.get('demo-staging')!.releases).toHaveLength(1);
    await press(r, 'g', KEY.enter);
    await exited(exits, r);
    const f = frame(r);
    expect(exits).toEqual([0]);
    expect(f).toContain('Agent release staging was uninstalled from gitlab-agent-staging on demo-staging.');
    expect(f).toContain('agent staging (id 17), registered in demo-group/infrastructure');
    expect(world.clusters.get('demo-staging')!.releases).toEqual([]);
    expect(world.gitlab.agents).toHaveLength(1);
  });

  it('rotate-token: asks which of the two tokens to revoke, naming the one in use, then shows each step', async () => {
    const { r, exits, world } = await start('rotate-token');
    await pickStaging(r);
    // Picking starts the rotation (no review follows): asked even with one usable install.
    await waitForText(r, '? Which agent do you want to rotate the token of?');
    await press(r, KEY.enter);
    const q = await waitForText(r, 'already has 2 active tokens', 10_000);
    expect(q).toMatch(/token 32 "gitlab-agent-tui-staging".*IN USE by this install/);
    expect(q).toMatch(/❯ token 31/);
    await press(r, KEY.enter);
    await exited(exits, r);
    const f = allFrames(r);
    for (const step of ['Revoke the token you chose', 'Create the new token', 'Write it to the Secret', 'Restart the agent pods', 'New pods Ready', 'GitLab sees the new token in use', 'Revoke the old token']) {
      expect(f).toContain(`✓ ${step}`);
    }
    expect(frame(r)).toContain('Token rotated: 32 → 33; the agent is Ready and connected with the new token.');
    expect(exits).toEqual([0]);
    expect(world.gitlab.tokens.filter((t) => t.status === 'active').map((t) => t.id)).toEqual([33]);
  });
});
