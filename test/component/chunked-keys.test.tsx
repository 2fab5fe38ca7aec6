import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunCommand as StartFlow } from '../../src/core/commands/registry.js';
import { ExitCode } from '../../src/core/kernel/errors.js';
import type { Choice } from '../../src/core/kernel/questions.js';
import { App } from '../../src/ui/tui/App.js';
import { KEY, waitFor, waitForText } from './helpers.js';
import { MENU } from './scripted-flow.js';

afterEach(() => cleanup());

// A paste, a fast typist or tmux send-keys deliver several keys in one read: each key must see the one before it.

const ROWS: Choice[] = ['one', 'two', 'three', 'four'].map((v) => ({ value: v, label: v }));

describe('several keys in one chunk', () => {
  it('main menu: ↓↓↓⏎ together opens the fourth entry, not the first', async () => {
    const started: string[] = [];
    const start: StartFlow = async (command) => {
      started.push(command);
      return { exitCode: ExitCode.ok, headline: 'done', details: [], ledger: [] };
    };
    const r = render(<App menu={MENU} start={start} />);
    await waitForText(r, 'What do you want to do?');
    // Upgrade (third) is unavailable in this menu, so ↓↓↓ lands on Uninstall, the fourth.
    r.stdin.write(KEY.down + KEY.down + KEY.down + KEY.enter);
    await waitFor(() => started.length === 1, () => 'a flow to start');
    expect(started).toEqual(['uninstall']);
  });

  it('select, multiselect and search: moves, toggles and typed text arriving with ⏎ all count', async () => {
    const answers: unknown[] = [];
    const start: StartFlow = async (_command, { asker }) => {
      answers.push(await asker.ask({ id: 'pick', kind: 'select', message: 'Pick one', choices: ROWS }));
      answers.push(await asker.ask({ id: 'several', kind: 'multiselect', message: 'Pick several', choices: ROWS }));
      answers.push(
        await asker.ask({
          id: 'project',
          kind: 'search',
          message: 'Project',
          source: async () => [],
          validate: (v) => (v.includes('/') ? undefined : 'a path with a group'),
        }),
      );
      return { exitCode: ExitCode.ok, headline: 'done', details: [], ledger: [] };
    };
    const r = render(<App menu={MENU} initialCommand="install" start={start} />);
    await waitForText(r, 'Pick one');
    r.stdin.write(KEY.down + KEY.down + KEY.enter);
    await waitForText(r, 'Pick several');
    r.stdin.write(' ' + KEY.down + KEY.down + ' ' + KEY.enter);
    await waitForText(r, 'no matches');
    r.stdin.write('group/app' + KEY.enter);
    await waitFor(() => answers.length === 3, () => `three answers, got ${JSON.stringify(answers)}`);
    expect(answers).toEqual(['three', ['one', 'three'], 'group/app']);
  });

  it('one chunk answers one question: "y⏎" at a confirm does not also answer the question queued behind it', async () => {
    const answers: unknown[] = [];
    const start: StartFlow = async (_command, { asker }) => {
      // Two steps asking at once (as upgrade's concurrent steps can): the second waits in the queue.
      await Promise.all([
        asker.ask({ id: 'sure', kind: 'confirm', message: 'Go on?', default: false }).then((a) => answers.push(a)),
        asker.ask({ id: 'pick', kind: 'select', message: 'Pick one', choices: ROWS }).then((a) => answers.push(a)),
      ]);
      return { exitCode: ExitCode.ok, headline: 'done', details: [], ledger: [] };
    };
    const r = render(<App menu={MENU} initialCommand="install" start={start} />);
    await waitForText(r, 'Go on?');
    r.stdin.write('y\r\n');
    await waitForText(r, 'Pick one');
    expect(answers).toEqual([true]);
    r.stdin.write(KEY.down + KEY.enter);
    await waitFor(() => answers.length === 2, () => 'the second answer');
    expect(answers).toEqual([true, 'two']);
  });
});
