import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { MENU } from '../../src/core/commands/registry.js';
import { App } from '../../src/ui/tui/App.js';
import { fastWorld, gitlabWrites } from '../support/demo-world.js';
import { KEY, frame, press, setRows, sleep, squash, waitFor, waitForText } from './helpers.js';
import { answerInstallWizard, demoRunner } from './demo-install-driver.js';

/**
 * Esc and "Change an answer…" through the whole install wizard over the demo world, with real key
 * presses: answers go back one question at a time, a changed answer reaches the review, and nothing
 * reaches GitLab, helm or the cluster until the review is confirmed.
 */

afterEach(() => cleanup());

/** Esc alone: a key pressed right after it would be read as Alt+key, as in a real terminal. */
async function esc(r: Parameters<typeof press>[0]): Promise<void> {
  await press(r, KEY.esc);
  await sleep(60);
}

const reviewLine = (r: Parameters<typeof frame>[0], label: string) => squash(frame(r)).split('\n').find((l) => l.includes(label)) ?? '';

describe('going back in the install wizard', () => {
  it('Esc from the review goes back question by question; a changed answer is in the review; nothing was written before it', async () => {
    const world = fastWorld();
    const exits: number[] = [];
    const r = render(<App menu={MENU} initialCommand="install" start={demoRunner(world)} onExit={(c) => exits.push(c)} />);
    setRows(r, 50);
    await answerInstallWizard(r, { agent: 'demo' });
    expect(reviewLine(r, 'RBAC')).toContain('cluster-admin (chart default)');

    // Esc: the review → the advanced options question → the config-file question → the RBAC question.
    await esc(r);
    await waitForText(r, 'Change advanced options?');
    await esc(r);
    await waitForText(r, 'members can use the Kubernetes dashboard');
    await esc(r);
    await waitForText(r, /❯ cluster-admin/);
    // "no binding" is the third choice; the config-file answer given before is offered again as the default.
    await press(r, KEY.down, KEY.down);
    await waitForText(r, /❯ no binding/);
    await press(r, KEY.enter);
    await waitForText(r, 'members can use the Kubernetes dashboard');
    await press(r, KEY.enter);
    await waitForText(r, 'Change advanced options?');
    await press(r, KEY.enter);
    await waitForText(r, /❯ Install/);
    expect(reviewLine(r, 'RBAC')).toContain('no binding (you create it)');
    expect(reviewLine(r, 'Agent ')).toContain('demo (will be registered)');
    expect(gitlabWrites(world), 'GitLab writes before the review was confirmed').toEqual([]);
    expect(world.record.helm).toEqual([]);

    await press(r, KEY.enter);
    await waitFor(() => exits.length > 0, () => `exit; frame:\n${frame(r)}`, 15_000);
    expect(exits).toEqual([0]);
    expect(frame(r)).toContain('Agent demo is installed, Ready and connected.');
    // The changed answer is what reached helm: no cluster-admin binding was asked for.
    const values = world.record.helm[0]!.stdin ?? '';
    expect(values).toMatch(/rbac:\s*\n\s*create: false/);
  });

  it('"Change an answer…" from the review edits one answer and returns to the review; Esc there goes back to the review', async () => {
    const world = fastWorld();
    const r = render(<App menu={MENU} initialCommand="install" start={demoRunner(world)} onExit={() => undefined} />);
    setRows(r, 50);
    await answerInstallWizard(r, { agent: 'demo' });

    // Review → Change an answer… → Esc: back at the review, nothing changed.
    await press(r, KEY.down);
    await waitForText(r, /❯ Change an answer…/);
    await press(r, KEY.enter);
    await waitForText(r, 'Which answer do you want to change?');
    await esc(r);
    await waitForText(r, /❯ Install/);

    // Change the namespace: typed over the suggestion, then straight back to the review.
    await press(r, KEY.down);
    await waitForText(r, /❯ Change an answer…/);
    await press(r, KEY.enter);
    await waitForText(r, 'Which answer do you want to change?');
    for (let i = 0; i < 20 && !/❯ Namespace/.test(frame(r)); i++) await press(r, KEY.down);
    expect(frame(r)).toMatch(/❯ Namespace/);
    await press(r, KEY.enter);
    await waitForText(r, '› gitlab-agent-demo');
    await press(r, ...Array<string>('gitlab-agent-demo'.length).fill(KEY.backspace), 'agents-demo');
    await waitForText(r, '› agents-demo');
    await press(r, KEY.enter);
    await waitForText(r, /❯ Install/, 10_000);
    expect(reviewLine(r, 'Namespace')).toContain('agents-demo (will be created)');
    expect(gitlabWrites(world)).toEqual([]);
    expect(world.record.helm).toEqual([]);
  });
});
