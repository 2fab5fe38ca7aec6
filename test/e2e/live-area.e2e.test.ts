/**
 * Issue 11 §5 on a real terminal: the TUI (the built binary, tmux, CI unset) installs into the real
 * control plane with real helm and the fake GitLab, at 80×24 and at 100×30. The pods stay Pending
 * (kwok's ready-delay of 10 minutes) and --timeout 60s makes the readiness wait fail slowly, after a
 * minute of live updates. Meanwhile tmux's #{history_size} is sampled: a live area that outgrows the
 * terminal makes Ink clear and repaint the whole screen, and tmux scrolls each cleared screen into the
 * scrollback, so the scrollback would grow by a screenful per repaint. Here it must not grow during
 * the wait at all, and by the end only by the lines the run printed for good (the report).
 * Also: when "Install with these settings?" is asked, the review table (not the script) is what
 * stands above it on screen.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { e2eEnv } from './support/env.js';
import { startGitLab, type E2eGitLab } from './support/gitlab.js';
import { createSandbox } from './support/sandbox.js';
import { TmuxSession } from './support/tmux.js';

let session: TmuxSession | undefined;
let gitlab: E2eGitLab | undefined;
afterEach(async () => {
  await session?.kill();
  await gitlab?.close();
  session = undefined;
  gitlab = undefined;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Keys go to a prompt only after its frame is drawn (Ink subscribes to input after the paint). */
const settle = () => sleep(150);

/** The question on screen now: its `? …` header line, and the key-hint bar under it. */
function questionOn(screen: string): { header: string; hints: string } | undefined {
  const lines = screen.split('\n').map((l) => l.trimEnd());
  const hints = [...lines].reverse().find((l) => /ctrl-c cancel$/.test(l));
  const header = [...lines].reverse().find((l) => /^\? \S/.test(l));
  return hints && header && /⏎|y yes/.test(hints) ? { header, hints } : undefined;
}

/**
 * Answers every question with its default (y/N questions: no) until `stop` matches the screen.
 * Each question is answered once: the next key waits until the question on screen has changed.
 */
async function takeDefaultsUntil(t: TmuxSession, stop: RegExp, what: string): Promise<string> {
  const deadline = Date.now() + 90_000;
  let answered = '';
  for (;;) {
    const screen = await t.screen();
    if (stop.test(screen)) return screen;
    const q = questionOn(screen);
    if (q && q.header !== answered) {
      await settle();
      await t.keys(q.hints.includes('y yes') ? 'n' : 'Enter');
      answered = q.header;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n--- screen\n${screen}`);
    await sleep(200);
  }
}

describe.each([
  [80, 24],
  [100, 30],
])('TUI at %i×%i', (cols, rows) => {
  it('a readiness wait that fails after 60 s: the scrollback grows by the report only; the review table stands above the decision', async () => {
    const sb = createSandbox(`live-${cols}`, 4);
    gitlab = await startGitLab();
    const agent = sb.name('live');
    const values = join(sb.cwd, 'never-ready.yaml');
    writeFileSync(values, 'podAnnotations:\n  e2e.test/ready-delay: "600s"\n');
    const t = (session = await TmuxSession.start(
      sb,
      [
        process.execPath,
        e2eEnv().appBin,
        'install',
        '--context',
        'e2e-admin',
        '--project',
        'group/app',
        '--agent',
        agent,
        '--chart-repo',
        e2eEnv().chartRepo,
        '--values',
        values,
        '--timeout',
        '60s',
      ],
      { env: { GITLAB_TOKEN: gitlab.pat, GITLAB_HOST: gitlab.gl.url }, cols, rows },
    ));

    // The review: the table is right above the decision, on screen; the script went above it.
    const review = await takeDefaultsUntil(t, /\? Install with these settings\?\n❯ Install/, 'the review');
    const above = review.slice(0, review.indexOf('? Install with these settings?'));
    // The table's rows (its end at least: the whole is taller than 24 rows with the RBAC it lists), not the script.
    expect(above, review).toMatch(/Agent config file +not committed/);
    expect(above).toMatch(/Service account +the chart's own/);
    expect(above).toMatch(/Pod security +restricted securityContext/);
    expect(above).not.toContain('VALUES');
    expect(above).not.toContain('helm upgrade --install');
    for (const line of review.split('\n')) expect(line.length).toBeLessThanOrEqual(cols);
    await settle();
    await t.keys('Enter');

    // The wait: a minute of live readiness updates.
    await t.waitFor(/Agent pods Ready \d+s/, 'the readiness wait', 90_000);
    await t.waitFor(/Readiness waiting/, 'the readiness panel', 30_000);
    const atWait = await t.historySize();
    const samples: number[] = [];
    let screen = '';
    const deadline = Date.now() + 120_000;
    for (;;) {
      screen = await t.screen();
      if (/Remove what this run created/.test(screen)) break;
      samples.push(await t.historySize());
      // The live area fits: never a line past the screen, the header always on it.
      expect(screen, screen).toContain('gitlab-agent-tui');
      if (Date.now() > deadline) throw new Error(`no cleanup question after the timeout\n${screen}`);
      await sleep(1000);
    }
    expect(samples.length, 'seconds of waiting sampled').toBeGreaterThanOrEqual(50);
    // Nothing is printed for good during the wait (the last samples may see the failed step's line, printed once
    // the wait ends); a repaint of an oversized live area would add a screenful each time.
    expect(Math.max(...samples.slice(0, -2)) - atWait, `history sizes: ${samples.join(' ')}`).toBe(0);
    expect(screen).toMatch(/Readiness (waiting|failed)/);

    await settle();
    await t.keys('y');
    expect(await t.exitCode(120_000)).toBe(1);
    const atEnd = await t.historySize();
    const all = (await t.everything()).replace(/\n+$/, '').split('\n');
    // What the run printed for good after the wait: from the failed step line to the shell's EXIT line.
    const from = all.findLastIndex((l) => l.startsWith('✗ Agent pods Ready'));
    expect(from).toBeGreaterThan(0);
    const printed = all.length - from;
    // From the wait's start to the end, the scrollback grew by at most what was printed for good after it: the
    // failed step line, the report, the shell's EXIT line (the live area on screen is overwritten, not scrolled).
    expect(atEnd - atWait, `${samples.join(' ')} → ${atEnd}\n${all.slice(from).join('\n')}`).toBeLessThanOrEqual(printed);
    const report = all.slice(from).join('\n');
    expect(report).toContain('not Ready after 60s');
    expect(report).toContain('Cleaned up:');
    expect(report).not.toContain('exit code');
    // The header is not repeated under the report.
    expect(all.slice(from).some((l) => /^gitlab-agent-tui \S+ · Install/.test(l))).toBe(false);
  }, 300_000);
});
