import { cleanup, render } from 'ink-testing-library';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { MENU } from '../../src/core/commands/registry.js';
import { App } from '../../src/ui/tui/App.js';
import { fastWorld, gitlabWrites } from '../support/demo-world.js';
import { KEY, frame, press, setRows, squash, waitFor } from './helpers.js';
import { answerInstallWizard, demoRunner } from './demo-install-driver.js';

/** The advanced options screen of the install wizard, with real key presses over the demo world. */

afterEach(() => cleanup());

const reviewLine = (r: Parameters<typeof frame>[0], label: string) => squash(frame(r)).split('\n').find((l) => l.includes(label)) ?? '';

describe('the advanced options screen', () => {
  it('is skipped with one key: the review shows the chart defaults', async () => {
    const world = fastWorld();
    const r = render(<App menu={MENU} initialCommand="install" start={demoRunner(world)} onExit={() => undefined} />);
    setRows(r, 60);
    // The driver answers "Change advanced options? (y/N)" with a single Enter.
    await answerInstallWizard(r, { agent: 'demo' });
    expect(reviewLine(r, 'Advanced options')).toContain('replicas 2 (chart default)');
    expect(gitlabWrites(world)).toEqual([]);
  });

  it('a changed replica count reaches the review and helm', async () => {
    const world = fastWorld();
    const exits: number[] = [];
    const r = render(<App menu={MENU} initialCommand="install" start={demoRunner(world)} onExit={(c) => exits.push(c)} />);
    setRows(r, 60);
    await answerInstallWizard(r, { agent: 'demo', replicas: '3' });
    expect(reviewLine(r, 'Advanced options')).toContain('replicas 3');
    expect(gitlabWrites(world), 'GitLab writes before the review was confirmed').toEqual([]);

    await press(r, KEY.enter);
    await waitFor(() => exits.length > 0, () => `exit; frame:\n${frame(r)}`, 15_000);
    expect(exits).toEqual([0]);
    const values = parse(world.record.helm.find((h) => h.stdin)!.stdin!) as { replicas?: number };
    expect(values.replicas).toBe(3);
  });
});
