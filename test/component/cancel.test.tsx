import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/core/kernel/errors.js';
import type { RunCommand as StartFlow } from '../../src/core/commands/registry.js';
import { App } from '../../src/ui/tui/App.js';
import { KEY, frame, press, waitFor, waitForText } from './helpers.js';
import { MENU, scriptedFlow } from './scripted-flow.js';
import { answerUpToReview } from './wizard-driver.js';

afterEach(() => cleanup());

describe('Ctrl-C', () => {
  it('mid-helm aborts the signal, shows cancelling until the flow settles, then its outcome, exit 130', async () => {
    const { start, record } = scriptedFlow({ holdHelm: true, stopMs: 300 });
    const exits: number[] = [];
    const r = render(<App menu={MENU} start={start} onExit={(c) => exits.push(c)} />);
    await waitForText(r, 'What do you want to do?');
    await press(r, KEY.enter);
    await answerUpToReview(r);
    await press(r, KEY.enter);
    await waitForText(r, /helm · \d+ lines/);
    expect(record.signalAborted).toBe(false);

    await press(r, KEY.ctrlC);
    let f = await waitForText(r, 'cancelling… (stopping helm)');
    expect(record.signalAborted).toBe(true);
    expect(record.settled).toBe(false);
    expect(f).toContain('waiting for the run to stop · ctrl-c quit without waiting');
    expect(exits).toEqual([]);

    await waitFor(() => exits.length > 0, () => 'exit');
    f = frame(r);
    expect(exits).toEqual([130]);
    expect(record.settled).toBe(true);
    expect(f).not.toContain('cancelling…');
    expect(f).toContain('Install cancelled; helm was stopped');
    expect(f).toContain('✗ helm upgrade --install');
    expect(f).toContain('What exists now');
    expect(f).toMatch(/created\s+agent\s+gitlab-agent/);
    expect(f).toMatch(/created\s+secret\s+gitlab-agent-token/);
    expect(f).not.toContain('exit code');
  });

  it('a second Ctrl-C while cancelling quits at once, saying helm may still be finishing', async () => {
    const { start, record } = scriptedFlow({ holdHelm: true, stopMs: 2_000 });
    const exits: number[] = [];
    const r = render(<App menu={MENU} initialCommand="install" start={start} onExit={(c) => exits.push(c)} />);
    await answerUpToReview(r);
    await press(r, KEY.enter);
    await waitForText(r, /helm · \d+ lines/);
    await press(r, KEY.ctrlC);
    await waitForText(r, 'cancelling… (stopping helm)');
    await press(r, KEY.ctrlC);
    await waitFor(() => exits.length > 0, () => 'exit', 1_000);
    expect(exits).toEqual([130]);
    expect(record.settled).toBe(false);
    const f = frame(r);
    expect(f).toContain('Cancelled.');
    expect(f).toContain('helm may still be finishing');
    // what the events reported as created so far
    expect(f).toMatch(/created\s+agent\s+gitlab-agent/);
    expect(f).toContain('■ helm upgrade --install (stopped)');
  });

  it('at a question rejects it with CancelledError: "Cancelled.", exit 130', async () => {
    const { start, record } = scriptedFlow();
    const exits: number[] = [];
    const r = render(<App menu={MENU} initialCommand="install" start={start} onExit={(c) => exits.push(c)} />);
    await waitForText(r, 'Kubernetes context');
    await press(r, KEY.ctrlC);
    await waitFor(() => exits.length > 0, () => 'exit');
    expect(exits).toEqual([130]);
    expect(record.signalAborted).toBe(true);
    expect(record.settled).toBe(true);
    expect(frame(r)).toContain('Cancelled.');
    expect(frame(r)).toContain('Nothing was left behind.');
  });

  it('exits 130 even when the flow reports success after the abort', async () => {
    const start: StartFlow = async (_c, { signal }) => {
      await new Promise((resolve) => signal.addEventListener('abort', resolve));
      return { exitCode: ExitCode.ok, headline: 'Stopped cleanly', details: [], ledger: [] };
    };
    const exits: number[] = [];
    const r = render(<App menu={MENU} initialCommand="status" start={start} onExit={(c) => exits.push(c)} />);
    await waitForText(r, 'ctrl-c cancel');
    await press(r, KEY.ctrlC);
    await waitFor(() => exits.length > 0, () => 'exit');
    expect(exits).toEqual([130]);
    expect(frame(r)).toContain('Stopped cleanly');
  });
});

describe('main menu quit', () => {
  for (const [name, key] of [
    ['q', 'q'],
    ['ctrl-c', KEY.ctrlC],
  ] as const) {
    it(`${name} exits 130 with "Cancelled." without starting a flow`, async () => {
      let started = false;
      const start: StartFlow = async () => {
        started = true;
        return { exitCode: ExitCode.ok, headline: 'x', details: [], ledger: [] };
      };
      const exits: number[] = [];
      const r = render(<App menu={MENU} start={start} onExit={(c) => exits.push(c)} />);
      await waitForText(r, 'What do you want to do?');
      await press(r, key);
      await waitFor(() => exits.length > 0, () => 'exit');
      expect(exits).toEqual([130]);
      expect(frame(r)).toContain('Cancelled.');
      expect(started).toBe(false);
    });
  }
});
