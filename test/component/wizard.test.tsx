import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/ui/tui/App.js';
import { KEY, allFrames, frame, press, setRows, squash, waitFor, waitForText } from './helpers.js';
import { HELM_COMMAND, MENU, TOKEN, scriptedFlow } from './scripted-flow.js';

afterEach(() => cleanup());

// Rendering of every question kind and event type on the scripted flow; the real install is in install-demo.test.tsx.
describe('install wizard, driven by key presses', () => {
  it('goes from the main menu through every question, the review and helm to the outcome', async () => {
    const { start, record } = scriptedFlow({ readiness: 'ready' });
    const exits: number[] = [];
    const r = render(<App menu={MENU} start={start} version="0.1.0" onExit={(c) => exits.push(c)} />);
    setRows(r, 40);

    const menu = await waitForText(r, 'What do you want to do?');
    expect(menu).toContain('gitlab-agent-tui 0.1.0');
    expect(menu).toContain('❯ Install');
    expect(menu).toContain('↑↓ move · ⏎ select · q quit · ctrl-c cancel');
    await press(r, KEY.enter);

    // select: live hints arrive while shown; ↓ skips the disabled "prod"; esc back is offered on the first question
    let f = await waitForText(r, '✓ v1.35.7');
    expect(f).toContain('✗ unreachable');
    expect(f).toContain('no credentials in kubeconfig');
    expect(f).toContain('↑↓ move · ⏎ select · esc back · ctrl-c cancel');
    await press(r, KEY.down);
    f = await waitForText(r, '❯ staging');
    await press(r, KEY.up);
    await waitForText(r, '❯ kind-dev');
    await press(r, KEY.enter);

    // input: default prefilled
    f = await waitForText(r, 'Agent name');
    expect(f).toContain('gitlab-agent');
    expect(f).toContain('(--agent)');
    expect(f).toContain('⏎ submit · ctrl-c cancel');
    expect(f).not.toContain('esc back');
    expect(record.hintsUnsubscribed).toBe(true);
    await press(r, ...Array<string>(12).fill(KEY.backspace), 'my-agent');
    await waitForText(r, '› my-agent');
    await press(r, KEY.enter);

    // secret
    await waitForText(r, 'GitLab personal access token');
    await press(r, TOKEN);
    await waitForText(r, '*'.repeat(TOKEN.length));
    await press(r, KEY.enter);

    // confirm: enter takes the default (yes)
    f = await waitForText(r, 'Grant the agent cluster-admin? (Y/n)');
    expect(f).toContain('y yes · n no · ⏎ default');
    await press(r, KEY.enter);

    // search: debounced source, disabled result skipped by ↓
    f = await waitForText(r, 'Agent configuration project');
    expect(f).toContain('type to filter');
    await press(r, 'ops');
    await waitFor(
      () => frame(r).includes('platform/opsdev') && !frame(r).includes('web/site') && !frame(r).includes('searching…'),
      () => frame(r),
    );
    await press(r, KEY.down);
    await waitForText(r, '❯ platform/opsdev');
    await press(r, KEY.enter);

    // review
    f = await waitForText(r, 'Proceed?');
    expect(f).toContain('Review');
    expect(f).toMatch(/Agent\s+my-agent/);
    expect(f).toContain('cluster-admin grants full control of the cluster');
    expect(squash(f)).toContain(HELM_COMMAND);
    // The command is printed raw: no border characters would be copied with it (issue 11, part 4).
    expect(f).not.toMatch(/[╭╮╰╯│]/);
    expect(f).toMatch(/^helm /m);
    await press(r, KEY.enter);

    // helm, readiness, outcome
    f = await waitForText(r, 'Installed agent my-agent', 10_000);
    await waitFor(() => exits.length > 0, () => 'exit');
    f = frame(r);
    expect(exits).toEqual([0]);
    expect(f).toContain('✓ Register agent');
    // every static line exactly once, also the ones added right before exit
    expect(f.split('✓ Wait for the agent to be ready').length - 1).toBe(1);
    expect(f.split('? Proceed? Install').length - 1).toBe(1);
    expect(f).toContain('✓ helm upgrade --install');
    expect(f).toContain('– Custom CA certificate');
    expect(f).toContain('ℹ Namespace gitlab-agent already exists; reusing it');
    expect(f).toContain('! cluster-admin requested for context kind-dev');
    expect(f).toContain('? Agent name my-agent');
    expect(f).toContain('? GitLab personal access token ********');
    expect(f).toContain('2/2 pods ready');
    expect(f).toContain('What exists now');
    expect(f).toMatch(/created\s+agent\s+my-agent/);
    expect(f).toMatch(/reused\s+namespace\s+gitlab-agent/);
    expect(f).not.toContain('exit code');
    // the finished run's helm tail is gone from the final frame
    expect(f).not.toContain('helm-out');

    expect(record.answers).toMatchObject({
      context: 'kind-dev',
      agent: 'my-agent',
      token: TOKEN,
      rbac: true,
      project: 'platform/opsdev',
      review: 'install',
    });
    expect(allFrames(r)).not.toContain(TOKEN);
  });

  it('starts straight in the flow when an initial command is given, without esc back', async () => {
    const { start } = scriptedFlow();
    const r = render(<App menu={MENU} initialCommand="install" start={start} />);
    const f = await waitForText(r, 'Kubernetes context');
    expect(f).toContain('gitlab-agent-tui · Install');
    expect(f).not.toContain('What do you want to do?');
    expect(f).not.toContain('esc back');
  });

  it('esc on the first question goes back to the menu and aborts that run', async () => {
    const { start, record } = scriptedFlow();
    const r = render(<App menu={MENU} start={start} />);
    await waitForText(r, 'What do you want to do?');
    await press(r, KEY.enter);
    await waitForText(r, 'Kubernetes context');
    await press(r, KEY.esc);
    await waitForText(r, 'What do you want to do?');
    expect(record.signalAborted).toBe(true);
    // a second visit is a fresh run
    await press(r, KEY.enter);
    await waitForText(r, '✓ v1.35.7');
  });
});
