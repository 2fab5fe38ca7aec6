import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { MENU } from '../../src/core/commands/registry.js';
import { App } from '../../src/ui/tui/App.js';
import { fastWorld } from '../support/demo-world.js';
import { KEY, allFrames, frame, press, setRows, waitFor, waitForText, type Rendered } from './helpers.js';
import { demoRunner } from './demo-install-driver.js';

/** Troubleshoot in the real App over the demo world, driven by key presses. */

afterEach(() => cleanup());

async function pickStaging(r: Rendered) {
  await waitForText(r, /demo-staging .*✓ v1\.35\.7/);
  while (!frame(r).includes('❯ demo-staging')) await press(r, KEY.down);
  await press(r, KEY.enter);
  // The only install is not asked for: it is said as a fact (issue 11 §7).
  await waitForText(r, 'ℹ Which agent do you want to troubleshoot? gitlab-agent-staging/staging (the only choice)');
}

describe('troubleshoot over the demo world', () => {
  it('a deleted token Secret: progress per layer, the chain with the root cause first, ⏎ expands its evidence, q exits 1', async () => {
    const world = fastWorld();
    world.clusters.get('demo-staging')!.namespaces.get('gitlab-agent-staging')!.secrets.delete('staging-agent-token');
    const exits: number[] = [];
    const r = render(<App menu={MENU} initialCommand="troubleshoot" start={demoRunner(world)} simulated version="0.1.0" onExit={(c) => exits.push(c)} />);
    Object.defineProperty(r.stdout, 'columns', { value: 160, configurable: true });
    setRows(r, 60);
    await pickStaging(r);
    await waitForText(r, 'Root cause token-secret-missing: apply its fix now?', 10_000);
    expect(frame(r)).toContain('create a new agent token');
    await press(r, KEY.enter); // no (the default)
    const f = await waitForText(r, 'Causal chain (first failing layer first)', 10_000);
    expect(allFrames(r)).toContain('Kubernetes: release, Deployment, pods, events, Secret, logs, Flux');
    expect(allFrames(r)).toContain('GitLab: token, KAS, agent registration, agent token');
    expect(f).toContain('token-secret-missing — Secret staging-agent-token does not exist in gitlab-agent-staging');
    expect(f).toMatch(/❯ ✗ root cause · \[workload\] Secret staging-agent-token does not exist/);
    expect(f).not.toContain('secrets "staging-agent-token" not found');
    expect(exits).toEqual([]);

    await press(r, KEY.enter);
    const open = await waitForText(r, 'secrets "staging-agent-token" not found');
    expect(open).toContain('fix: Create a token for the agent in GitLab, then kubectl -n gitlab-agent-staging create secret generic staging-agent-token');

    // The next finding: the pods' FailedMount events, verbatim.
    await press(r, KEY.down, KEY.down, KEY.enter);
    await waitForText(r, 'FailedMount Pod/staging-gitlab-agent-v2-');
  expect(frame(r)).toContain('MountVolume.SetUp failed for volume "token-volume"');

    await press(r, 'q');
    await waitFor(() => exits.length > 0, () => `exit; frame:\n${frame(r)}`, 10_000);
    expect(exits).toEqual([1]);
  });

  it('progress per layer while the checks run: gitlab, flux, workload, connection each pending or running, then done with counts', async () => {
    const world = fastWorld();
    world.clusters.get('demo-staging')!.namespaces.get('gitlab-agent-staging')!.secrets.delete('staging-agent-token');
    const r = render(<App menu={MENU} initialCommand="troubleshoot" start={demoRunner(world)} simulated version="0.1.0" onExit={() => undefined} />);
    Object.defineProperty(r.stdout, 'columns', { value: 160, configurable: true });
    setRows(r, 60);
    await pickStaging(r);
    await waitForText(r, 'Root cause token-secret-missing: apply its fix now?', 10_000);
    const frames = r.frames.map((f) => f.replace(/\u001b\[[0-9;]*m/g, ''));
    const row = (layer: string, rest: RegExp) => new RegExp(`^\\s+\\S+ ${layer}\\s+${rest.source}`, 'm');
    // While the cluster is read, the connection layer waits for the Deployment its probes need.
    const live = frames.find((f) => row('connection', /pending · waiting for the Deployment/).test(f));
    expect(live, 'a frame with the connection layer pending').toBeDefined();
    expect(live).toContain('Checks per layer');
    expect(live).toMatch(row('workload', /running · reading the release, Deployment, pods, events, Secret, logs/));
    expect(live).toMatch(row('flux', /running · reading the Flux objects/));
    expect(frames.some((f) => row('gitlab', /running · asking GitLab/).test(f)), 'gitlab running').toBe(true);
    expect(frames.some((f) => row('connection', /running · agentk's logs; probing KAS from this machine/).test(f)), 'connection running').toBe(true);
    // Done: every layer with its counts, the failing workload layer marked ✗, printed once above the question.
    const done = frame(r);
    expect(done).toMatch(/^\s+✓ gitlab\s+done · \d+ ok/m);
    expect(done).toMatch(/^\s+– flux\s+skipped · 0 ok · \d+ skipped/m);
    expect(done).toMatch(/^\s+✗ workload\s+done · \d+ ok( · \d+ warn)? · [1-9]\d* fail/m);
    expect(done).toMatch(/^\s+\S connection\s+done · \d+ ok/m);
    expect(done.match(/Checks per layer/g)).toHaveLength(1);
  });

  it('a revoked agent token: the fix is offered after the checks; yes creates a new token, restarts, and the second diagnosis is healthy', async () => {
    const world = fastWorld();
    world.gitlab.tokens.find((t) => t.id === 32)!.status = 'revoked';
    const exits: number[] = [];
    const r = render(<App menu={MENU} initialCommand="troubleshoot" start={demoRunner(world)} simulated version="0.1.0" onExit={(c) => exits.push(c)} />);
    Object.defineProperty(r.stdout, 'columns', { value: 160, configurable: true });
    setRows(r, 60);
    await pickStaging(r);
    await waitForText(r, 'Root cause agent-token-revoked: apply its fix now?', 10_000);
    await press(r, KEY.down, KEY.enter); // yes, fix it
    const f = await waitForText(r, /Checks passed \(\d+\) and skipped/, 10_000);
    expect(allFrames(r)).toContain('Diagnosis (after the fix)');
    expect(f).toMatch(/Fixed agent-token-revoked: token 33 written into Secret gitlab-agent-staging\/staging-agent-token/);
    expect(f).toContain('gitlab-agent-staging/staging: healthy');
    expect(world.clusters.get('demo-staging')!.namespaces.get('gitlab-agent-staging')!.secrets.get('staging-agent-token')?.tokenId).toBe(33);
    await press(r, 'q');
    await waitFor(() => exits.length > 0, () => `exit; frame:\n${frame(r)}`, 10_000);
    expect(exits).toEqual([0]);
  });

  it('the healthy staging agent from the main menu: healthy, the passed checks listed, exit 0', async () => {
    const exits: number[] = [];
    const r = render(<App menu={MENU} start={demoRunner(fastWorld())} simulated version="0.1.0" onExit={(c) => exits.push(c)} />);
    Object.defineProperty(r.stdout, 'columns', { value: 160, configurable: true });
    setRows(r, 60);
    await waitForText(r, 'Troubleshoot');
    while (!/❯ .*Troubleshoot/.test(frame(r))) await press(r, KEY.down);
    await press(r, KEY.enter);
    await pickStaging(r);
    const f = await waitForText(r, /Checks passed \(\d+\) and skipped/, 10_000);
    expect(f).toContain('gitlab-agent-staging/staging: healthy — no check failed');
    expect(f).toContain('[gitlab] GitLab instance reachable (GL-REACH, healthy)');
    await press(r, 'q');
    await waitFor(() => exits.length > 0, () => `exit; frame:\n${frame(r)}`, 10_000);
    expect(exits).toEqual([0]);
  });
});
