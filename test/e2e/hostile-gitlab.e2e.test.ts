/**
 * Issue "install hardening", part 3: a GitLab (or a proxy in front of it) whose answers carry terminal
 * control sequences — a user name that sets the window title and recolours, an error message that
 * clears the screen and forges a "✓ installed" line. In every front end they are shown as text
 * (\x1b…), never obeyed: flag mode's output has no ESC or BEL byte at all; on a real terminal (tmux,
 * every byte recorded) the hostile sequences never reach the terminal and the title stays.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, transcript } from './support/cli.js';
import { e2eEnv } from './support/env.js';
import { startGitLab, type E2eGitLab } from './support/gitlab.js';
import { createSandbox, type Sandbox } from './support/sandbox.js';
import { TmuxSession } from './support/tmux.js';

const TITLE = '\u001b]0;pwned-title\u0007';
const EVIL_USER = `maria${TITLE}\u001b[31m`;
const EVIL_MESSAGE = '\u001b[2J\u001b[H✓ Agent evil is installed, Ready and connected.\u0007';

let g: E2eGitLab | undefined;
let t: TmuxSession | undefined;
afterEach(async () => {
  await t?.kill();
  await g?.close();
  t = undefined;
  g = undefined;
});

/** GitLab answers /user with a hostile name, then fails the project lookup with a hostile message. */
async function hostileGitLab(): Promise<E2eGitLab> {
  const gitlab = await startGitLab();
  gitlab.gl.failNext({
    method: 'GET',
    path: '/user',
    status: 200,
    body: { id: 1, username: EVIL_USER, name: EVIL_USER, state: 'active' },
    times: 10,
  });
  gitlab.gl.failNext({ method: 'GET', path: /^\/projects\/group/, status: 500, body: { message: EVIL_MESSAGE }, times: 10 });
  return gitlab;
}

function args(gitlab: E2eGitLab, agent: string): string[] {
  return [
    'install',
    '--project',
    'group/app',
    '--agent',
    agent,
    '--context',
    'e2e-admin',
    '--method',
    'helm',
    '--gitlab-url',
    gitlab.gl.url,
    '--chart-repo',
    e2eEnv().chartRepo,
  ];
}

function expectShownNotObeyed(raw: string, screen: string): void {
  expect(raw, 'the title sequence reached the terminal').not.toContain('\u001b]0;pwned');
  expect(raw, 'the clear-screen and forged line reached the terminal').not.toContain('\u001b[2J\u001b[H✓ Agent evil');
  expect(raw, 'a BEL reached the terminal').not.toContain('\u0007');
  expect(screen).toContain('signed in as maria\\x1b]0;pwned-title\\x07');
  expect(screen).toContain('\\x1b[2J\\x1b[H✓ Agent evil is installed');
}

describe('a hostile GitLab cannot drive the terminal', () => {
  it('flag mode: no ESC or BEL byte in stdout or stderr; the hostile text is visible', async () => {
    const sb = createSandbox('hostile-flags', 4);
    g = await hostileGitLab();
    const r = await runCli(sb, [...args(g, sb.name('evil')), '--yes'], { env: { GITLAB_TOKEN: g.pat } });
    expect(r.code, transcript(r)).toBe(1);
    expect(r.stdout + r.stderr).not.toMatch(/[\u001b\u0007\u009b]/);
    expect(r.stderr).toContain('signed in as maria\\x1b]0;pwned-title\\x07\\x1b[31m');
    expect(r.stderr).toContain('\\x1b[2J\\x1b[H✓ Agent evil is installed');
    expect(g.mutations()).toEqual([]);
  });

  it.each([
    ['plain', ['--plain']],
    ['TUI', []],
  ])('%s mode on a real terminal: the sequences are shown, not obeyed', async (mode, extra) => {
    const sb: Sandbox = createSandbox(`hostile-${mode.toLowerCase()}`, 4);
    g = await hostileGitLab();
    const record = join(sb.root, 'terminal.raw');
    t = await TmuxSession.start(sb, [process.execPath, e2eEnv().appBin, ...args(g, sb.name('evil')), ...extra], {
      env: { GITLAB_TOKEN: g.pat },
      record,
    });
    expect(await t.exitCode(60_000)).toBe(1);
    const screen = await t.everything();
    expect(existsSync(record)).toBe(true);
    expectShownNotObeyed(readFileSync(record, 'latin1'), screen);
    expect(await t.title()).not.toContain('pwned');
    expect(g.mutations()).toEqual([]);
  });
});
