import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/ui/tui/App.js';
import { KEY, frame, press, setRows, squash, stripAnsi, waitFor, waitForText } from './helpers.js';
import { MENU, scriptedFlow } from './scripted-flow.js';
import { answerUpToReview } from './wizard-driver.js';

afterEach(() => cleanup());

/** The helm line numbers visible in the pane of the newest frame. */
function visibleHelmLines(text: string): number[] {
  return [...text.matchAll(/helm-out (\d+) /g)].map((m) => Number(m[1]));
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('helm log pane', () => {
  it('shows only the last N lines (N from the terminal height), the line count and elapsed time', async () => {
    let release!: () => void;
    const helmGate = new Promise<void>((resolve) => (release = resolve));
    const { start } = scriptedFlow({ helmLines: 220, helmGate });
    const r = render(<App menu={MENU} initialCommand="install" start={start} />);
    setRows(r, 40);
    await answerUpToReview(r);
    const framesBeforeHelm = r.frames.length;
    await press(r, KEY.enter);

    let f = await waitForText(r, /helm · 220 lines · \d+s/);
    // 40 rows leave room for the maximum of 15 lines
    expect(visibleHelmLines(f)).toEqual(range(206, 220));
    expect(f).toContain('helm upgrade --install');

    // a smaller terminal shrinks the pane (never below 3):
    // 20 rows − 1 spare − title − hint bar (2) − 1 running step − the pane's margin and title (2)
    const fit = 20 - 1 - 1 - 2 - 1 - 2;
    setRows(r, 20);
    await waitFor(() => visibleHelmLines(frame(r)).length === fit, () => frame(r));
    expect(visibleHelmLines(frame(r))).toEqual(range(221 - fit, 220));
    setRows(r, 10);
    await waitFor(() => visibleHelmLines(frame(r)).length === 3, () => frame(r));

    // batched: far fewer renders than lines
    const helmFrames = r.frames.slice(framesBeforeHelm).filter((x) => stripAnsi(x).includes('helm-out'));
    expect(helmFrames.length).toBeLessThan(60);

    release();
    f = await waitForText(r, 'Installed agent gitlab-agent', 10_000);
    expect(f).not.toContain('helm-out');
  });
});

describe('readiness panel', () => {
  it('shows the Deployment, one row per pod and the IMAGE_PULL finding with its next step', async () => {
    let release!: () => void;
    const readinessGate = new Promise<void>((resolve) => (release = resolve));
    const { start } = scriptedFlow({ readiness: 'image-pull', readinessGate });
    const exits: number[] = [];
    const r = render(<App menu={MENU} initialCommand="install" start={start} onExit={(c) => exits.push(c)} />);
    setRows(r, 40);
    await answerUpToReview(r);
    await press(r, KEY.enter);

    // first the waiting snapshot…
    let f = await waitForText(r, 'Readiness waiting', 10_000);
    expect(f).toContain('ContainerCreating');
    // …then the failed one with both findings and the next step (said once for both)
    f = await waitForText(r, 'Readiness failed');
    const live = squash(f);
    expect(live).toContain('✗ ImagePullBackOff: cannot pull image registry.gitlab.com/');
    expect(live).toContain('✗ ErrImagePull: cannot pull image');
    expect(live.split('→ Check --image-tag').length - 1).toBe(1);
    release();

    // the panel stays in the final frame; the finding the outcome repeats is said only once
    await waitFor(() => exits.length > 0, () => 'exit', 10_000);
    f = frame(r);
    expect(exits).toEqual([1]);
    expect(f).toContain('✗ Readiness failed · 0/2 pods ready');
    expect(f).toContain('Deployment gitlab-agent  Desired 2, Ready 0/2, Available 0/2');
    expect(f).toMatch(/gitlab-agent-7d9f-abcde\s+Pending\s+ready 0\/1\s+restarts 0\s+waiting ImagePullBackOff/);
    expect(f).toMatch(/gitlab-agent-7d9f-fghij\s+Pending\s+ready 0\/1\s+restarts 0\s+waiting ErrImagePull/);
    const flat = squash(f);
    expect(flat).toContain('✗ ErrImagePull: cannot pull image registry.gitlab.com/');
    // the next step is the outcome's (a detail line): the panel does not say it again
    expect(flat.split('Check --image-tag and --image-repository').length - 1).toBe(1);
    expect(flat).not.toContain('→ Check --image-tag');
    expect(flat.split('ImagePullBackOff: cannot pull image').length - 1).toBe(1);
    // printed once: <Static> lines must not be replayed by the final render
    expect(f.split('✗ Wait for the agent to be ready').length - 1).toBe(1);
    expect(f).toContain('The agent was installed but is not ready');
    expect(f).not.toContain('exit code');
  });

  it('shows a ready verdict while waiting finishes, and drops the panel from the final frame', async () => {
    let release!: () => void;
    const readinessGate = new Promise<void>((resolve) => (release = resolve));
    const { start } = scriptedFlow({ readiness: 'ready', readinessGate });
    const exits: number[] = [];
    const r = render(<App menu={MENU} initialCommand="install" start={start} onExit={(c) => exits.push(c)} />);
    setRows(r, 40);
    await answerUpToReview(r);
    await press(r, KEY.enter);
    const f = await waitForText(r, '✓ Readiness ready · 2/2 pods ready', 10_000);
    expect(f).toContain('Ready 2/2, Available 2/2');
    release();
    await waitFor(() => exits.length > 0, () => 'exit', 10_000);
    expect(exits).toEqual([0]);
    expect(frame(r)).not.toContain('Readiness');
  });
});
