import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunCommand } from '../../src/core/commands/registry.js';
import { ExitCode } from '../../src/core/kernel/errors.js';
import { App } from '../../src/ui/tui/App.js';
import { KEY, frame, press, waitFor, waitForText } from './helpers.js';

afterEach(() => cleanup());

describe('multiselect and the question queue', () => {
  it('space ticks installs, ⏎ takes them; ⏎ with too few ticked says how many are needed', async () => {
    let picked: string[] | undefined;
    const run: RunCommand = async (_id, io) => {
      picked = await io.asker.ask({
        kind: 'multiselect',
        id: 'installs',
        message: 'Which installs should be upgraded?',
        min: 1,
        choices: [
          { value: 'a', label: 'prod-eu/prod' },
          { value: 'b', label: 'prod-us/prod' },
          { value: 'c', label: 'lab/edge', disabled: 'unreachable' },
        ],
      });
      return { exitCode: ExitCode.ok, headline: `picked ${picked.join(',')}`, details: [], ledger: [] };
    };
    const exits: number[] = [];
    const r = render(<App menu={[]} initialCommand="upgrade" start={run} onExit={(c) => exits.push(c)} />);
    await waitForText(r, 'Which installs should be upgraded?');
    expect(frame(r)).toContain('space toggle');
    await press(r, KEY.enter);
    await waitForText(r, 'pick at least 1');
    await press(r, ' ', KEY.down, ' ');
    await waitForText(r, /\[x\] prod-eu\/prod[\s\S]*\[x\] prod-us\/prod/);
    // The disabled row is skipped: down from the second row wraps to the first.
    await press(r, KEY.down);
    await waitForText(r, /❯ \[x\] prod-eu\/prod/);
    expect(frame(r)).toMatch(/\[ \] lab\/edge/);
    await press(r, KEY.enter);
    await waitFor(() => exits.length > 0, () => frame(r));
    expect(picked).toEqual(['a', 'b']);
  });

  it('questions asked while one is on screen wait their turn instead of failing', async () => {
    const answers: string[] = [];
    const run: RunCommand = async (_id, io) => {
      const ask = (id: string) => io.asker.ask({ kind: 'input', id, message: `Name for ${id}`, default: id }).then((a) => answers.push(a));
      await Promise.all([ask('first'), ask('second')]);
      return { exitCode: ExitCode.ok, headline: 'both', details: [], ledger: [] };
    };
    const exits: number[] = [];
    const r = render(<App menu={[]} initialCommand="install" start={run} onExit={(c) => exits.push(c)} />);
    await waitForText(r, 'Name for first');
    await press(r, KEY.enter);
    await waitForText(r, 'Name for second');
    await press(r, KEY.enter);
    await waitFor(() => exits.length > 0, () => frame(r));
    expect(answers).toEqual(['first', 'second']);
  });
});
