import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/core/kernel/errors.js';
import type { RunCommand as StartFlow } from '../../src/core/commands/registry.js';
import { App } from '../../src/ui/tui/App.js';
import { KEY, frame, press, sleep, waitFor, waitForText } from './helpers.js';
import { MENU, scriptedFlow } from './scripted-flow.js';

afterEach(() => cleanup());

const BANNER = 'SIMULATION — no cluster or GitLab is touched';

describe('main menu', () => {
  it('lists every entry; an unavailable one is dimmed with its reason and selecting it only explains why', async () => {
    let started = 0;
    const start: StartFlow = async () => {
      started += 1;
      return { exitCode: ExitCode.ok, headline: 'x', details: [], ledger: [] };
    };
    const r = render(<App menu={MENU} start={start} />);
    let f = await waitForText(r, 'What do you want to do?');
    for (const label of ['Install', 'Troubleshoot', 'Upgrade', 'Uninstall', 'Status']) expect(f).toContain(label);
    expect(f).toContain('Upgrade       unavailable: no agent release found in this cluster');

    await press(r, KEY.down, KEY.down);
    await waitForText(r, '❯ Upgrade');
    await press(r, KEY.enter);
    f = await waitForText(r, 'esc back');
    // The reason is said once, on its row: ⏎ adds no second "… is not available: …" sentence.
    expect(f.split('no agent release found in this cluster').length - 1).toBe(1);
    expect(f).not.toContain('not available');
    expect(f).not.toContain('Upgrade an installed agent');
    await sleep(50);
    expect(started).toBe(0);

    await press(r, KEY.esc);
    f = await waitForText(r, '⏎ select');
    expect(f).not.toContain('esc back');

    // j/k move too, and an available entry starts its flow
    await press(r, 'j');
    await waitForText(r, '❯ Uninstall');
    await press(r, KEY.enter);
    await waitFor(() => started === 1, () => 'the uninstall flow');
  });
});

describe('simulation banner', () => {
  it('is on the menu, on every question and on the outcome', async () => {
    const { start } = scriptedFlow();
    const r = render(<App menu={MENU} start={start} simulated />);
    expect(await waitForText(r, 'What do you want to do?')).toContain(BANNER);
    await press(r, KEY.enter);
    expect(await waitForText(r, 'Kubernetes context')).toContain(BANNER);
    await press(r, KEY.enter);
    expect(await waitForText(r, 'Agent name')).toContain(BANNER);
    await press(r, KEY.ctrlC);
    expect(await waitForText(r, 'Cancelled.')).toContain(BANNER);
  });

  it('is absent when not simulated', async () => {
    const { start } = scriptedFlow();
    const r = render(<App menu={MENU} start={start} />);
    expect(await waitForText(r, 'What do you want to do?')).not.toContain('SIMULATION');
    expect(frame(r)).not.toContain('SIMULATION');
  });
});
