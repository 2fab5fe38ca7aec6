import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/core/kernel/errors.js';
import type { RunCommand as StartFlow } from '../../src/core/commands/registry.js';
import type { Choice } from '../../src/core/kernel/questions.js';
import { App } from '../../src/ui/tui/App.js';
import { KEY, allFrames, frame, press, sleep, waitFor, waitForText } from './helpers.js';
import { AGENT_ERROR, MENU, TOKEN, scriptedFlow } from './scripted-flow.js';

afterEach(() => cleanup());

async function toAgentQuestion() {
  const flow = scriptedFlow();
  const r = render(<App menu={MENU} initialCommand="install" start={flow.start} />);
  await waitForText(r, '✓ v1.35.7');
  await press(r, KEY.enter);
  await waitForText(r, 'Agent name');
  return { r, ...flow };
}

describe('input', () => {
  it('shows the validation error inline and ignores enter while the name is invalid', async () => {
    const { r, record } = await toAgentQuestion();
    await press(r, 'X');
    let f = await waitForText(r, AGENT_ERROR);
    expect(f).toContain('› gitlab-agentX');
    expect(f.indexOf(AGENT_ERROR)).toBeGreaterThan(f.indexOf('gitlab-agentX'));

    await press(r, KEY.enter);
    await sleep(50);
    f = frame(r);
    expect(f).toContain('? Agent name');
    expect(f).toContain(AGENT_ERROR);
    expect(f).not.toContain('GitLab personal access token');
    expect(record.answers.agent).toBeUndefined();

    await press(r, KEY.backspace);
    f = await waitForText(r, '› gitlab-agent');
    expect(f).not.toContain(AGENT_ERROR);
    await press(r, KEY.enter);
    await waitForText(r, 'GitLab personal access token');
    expect(record.answers.agent).toBe('gitlab-agent');
  });

  it('applies every key of a chunk: six Backspaces arriving together delete six characters', async () => {
    const { r, record } = await toAgentQuestion();
    await waitForText(r, '› gitlab-agent');
    // A paste or a fast typist: the terminal delivers several keys in one read.
    r.stdin.write(KEY.backspace.repeat(6));
    await waitForText(r, '› gitlab');
    expect(frame(r)).not.toContain('› gitlab-');
    r.stdin.write('-prod');
    await waitForText(r, '› gitlab-prod');
    await press(r, KEY.enter);
    await waitForText(r, 'GitLab personal access token');
    expect(record.answers.agent).toBe('gitlab-prod');
  });

  it('rejects names longer than 63 characters and ones ending in "-"', async () => {
    const { r, record } = await toAgentQuestion();
    await press(r, '-');
    await waitForText(r, AGENT_ERROR);
    await press(r, KEY.backspace, 'a'.repeat(60));
    await waitForText(r, 'at most 63 characters');
    await press(r, KEY.enter);
    await sleep(50);
    expect(record.answers.agent).toBeUndefined();
  });
});

describe('secret', () => {
  it('never shows the typed characters in any frame and hands the clear value to the flow', async () => {
    const { r, record } = await toAgentQuestion();
    await press(r, KEY.enter);
    await waitForText(r, 'GitLab personal access token');
    // typed key by key, like a person
    for (const ch of TOKEN.slice(0, 6)) await press(r, ch);
    await waitForText(r, `› ${'*'.repeat(6)}`);
    // and the rest pasted in one chunk
    await press(r, TOKEN.slice(6));
    await waitForText(r, '*'.repeat(TOKEN.length));
    await press(r, KEY.enter);
    const f = await waitForText(r, 'Grant the agent cluster-admin?');
    expect(f).toContain('? GitLab personal access token ********');
    expect(record.answers.token).toBe(TOKEN);

    const everything = allFrames(r);
    expect(everything).not.toContain(TOKEN.slice(0, 6));
    expect(everything).not.toContain('SuperSecret');
    expect(everything).not.toContain('Token42');
  });

  it('blocks enter while the secret is invalid', async () => {
    const { r, record } = await toAgentQuestion();
    await press(r, KEY.enter);
    await waitForText(r, 'GitLab personal access token');
    await press(r, 'abc');
    await waitForText(r, 'the token looks too short');
    await press(r, KEY.enter);
    await sleep(50);
    expect(record.answers.token).toBeUndefined();
    expect(frame(r)).toContain('GitLab personal access token');
  });
});

describe('confirm', () => {
  it('answers no with n', async () => {
    const { r, record } = await toAgentQuestion();
    await press(r, KEY.enter);
    await waitForText(r, 'GitLab personal access token');
    await press(r, TOKEN);
    await press(r, KEY.enter);
    await waitForText(r, '(Y/n)');
    await press(r, 'n');
    const f = await waitForText(r, 'Agent configuration project');
    expect(f).toContain('? Grant the agent cluster-admin? no');
    expect(record.answers.rbac).toBe(false);
  });
});

describe('search', () => {
  /** A flow with only a search question whose source is slow and records its calls. */
  function searchFlow(options: { delayMs: number; validate?: (v: string) => string | undefined }) {
    const calls: { term: string; aborted: boolean }[] = [];
    let answer: string | undefined;
    const start: StartFlow = async (_command, { asker }) => {
      answer = await asker.ask({
        id: 'project',
        kind: 'search',
        message: 'Project',
        validate: options.validate,
        source: async (term, signal) => {
          const call = { term, aborted: false };
          calls.push(call);
          signal.addEventListener('abort', () => {
            call.aborted = true;
          });
          await sleep(options.delayMs);
          const all: Choice[] = [
            { value: 'alpha/one', label: 'alpha/one' },
            { value: 'beta/two', label: 'beta/two' },
          ];
          return all.filter((c) => c.value.includes(term));
        },
      });
      return { exitCode: ExitCode.ok, headline: `picked ${answer}`, details: [], ledger: [] };
    };
    return { start, calls, answer: () => answer };
  }

  it('debounces typing, shows "searching…", and aborts the previous lookup', async () => {
    const flow = searchFlow({ delayMs: 400 });
    const r = render(<App menu={MENU} initialCommand="install" start={flow.start} />);
    await waitForText(r, 'searching…');
    await waitFor(() => flow.calls.length === 1, () => 'the first lookup');
    expect(flow.calls[0]).toEqual({ term: '', aborted: false });

    // typed quickly: only the last term reaches the source, and the slow first lookup is aborted
    await press(r, 'b', 'e', 't');
    await waitFor(() => flow.calls.length === 2, () => `second lookup, calls: ${JSON.stringify(flow.calls)}`);
    expect(flow.calls.map((c) => c.term)).toEqual(['', 'bet']);
    expect(flow.calls[0]?.aborted).toBe(true);
    expect(frame(r)).toContain('searching…');

    const f = await waitForText(r, '❯ beta/two');
    expect(f).not.toContain('alpha/one');
    expect(f).not.toContain('searching…');
    await press(r, KEY.enter);
    await waitForText(r, 'picked beta/two');
  });

  it('takes the typed text when nothing matches and the question validates free text', async () => {
    const flow = searchFlow({ delayMs: 5, validate: (v) => (v.includes('/') ? undefined : 'use group/project') });
    const r = render(<App menu={MENU} initialCommand="install" start={flow.start} />);
    await waitForText(r, 'alpha/one');
    await press(r, 'zzz');
    await waitForText(r, 'no matches');
    await press(r, KEY.enter);
    await waitForText(r, 'use group/project');
    await press(r, '/x');
    await waitForText(r, 'no matches');
    await press(r, KEY.enter);
    await waitForText(r, 'picked zzz/x');
  });
});
