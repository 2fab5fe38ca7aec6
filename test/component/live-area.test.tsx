import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/core/kernel/errors.js';
import type { RunCommand } from '../../src/core/commands/registry.js';
import type { Finding, ReadinessVerdict } from '../../src/core/readiness/diagnose.js';
import type { PodView, ReadinessSnapshot } from '../../src/core/readiness/snapshot.js';
import { App } from '../../src/ui/tui/App.js';
import { KEY, type Rendered, frame, press, sleep, stripAnsi, waitFor, waitForText } from './helpers.js';
import { MENU } from './scripted-flow.js';

afterEach(() => cleanup());

const TITLE = 'gitlab-agent-tui · Install';
const LONG = 'cannot pull image registry.gitlab.com/gitlab-org/cluster-integration/gitlab-agent/agentk:does-not-exist (rpc error: code = NotFound desc = failed to resolve reference: not found)';

/** The live area of a frame: from the title down (ink-testing-library's frames are all <Static> output plus the live area). */
function liveArea(text: string): string[] {
  const lines = stripAnsi(text).replace(/\n$/, '').split('\n');
  const top = lines.lastIndexOf(TITLE);
  return top < 0 ? [] : lines.slice(top);
}

function setSize(r: Rendered, rows: number, columns: number): void {
  Object.defineProperty(r.stdout, 'rows', { value: rows, configurable: true });
  Object.defineProperty(r.stdout, 'columns', { value: columns, configurable: true });
  r.stdout.emit('resize');
}

function pod(i: number, restarts: number): PodView {
  return {
    name: `gitlab-agent-7d9f-pod${String(i).padStart(2, '0')}`,
    phase: 'Pending',
    ready: false,
    deleting: false,
    conditions: [],
    containers: [{ name: 'agent', image: 'agentk:does-not-exist', ready: false, restartCount: restarts, state: 'waiting', reason: 'ErrImagePull' }],
  };
}

function readiness(round: number): { snapshot: ReadinessSnapshot; verdict: ReadinessVerdict } {
  const pods = Array.from({ length: 12 }, (_, i) => pod(i, round));
  const findings: Finding[] = pods.slice(0, 6).map((p, i) => ({
    code: 'IMAGE_PULL',
    pod: p.name,
    summary: `ErrImagePull: ${p.name}: ${LONG}`,
    next: i % 2 === 0 ? 'Check --image-tag and --image-repository (the tag must exist, with its v prefix), and that the cluster can reach the registry' : 'Check the pull secret',
  }));
  return {
    snapshot: { deployment: { name: 'gitlab-agent', desired: 12, ready: 0, available: 0, updated: 12 }, pods, events: [] },
    verdict: { state: round < 30 ? 'waiting' : 'failed', progress: '0/12 pods ready', findings },
  };
}

/** A run that floods every live panel at once: three running steps, a 20-choice question, 600 helm lines (some far wider than the terminal), 12 pods and 6 long findings re-reported every few ms, then a question on top of it all. */
const flood: RunCommand = async (_id, { asker, emit }) => {
  emit({ type: 'step', step: 'register', title: 'Register agent', status: 'done', detail: 'registered prod (id 7)' });
  for (const step of ['context', 'probe', 'gitlab']) emit({ type: 'step', step, title: `A step called ${step} with a title long enough to be cut at sixty columns`, status: 'running' });
  await asker.ask({
    kind: 'select',
    id: 'pick',
    message: 'Which of the twenty contexts should the agent run in? This message is long on purpose, so it wraps',
    help: 'A help text that is long enough to wrap on an eighty-column terminal, with a hanging indent under its first word.',
    choices: Array.from({ length: 20 }, (_, i) => ({ value: `c${i}`, label: `context-${i}`, hint: `https://cluster-${i}.example.com:6443 · ✓ v1.35.${i}` })),
  });
  emit({ type: 'step', step: 'helm', title: 'helm upgrade --install', status: 'running', activity: 'helm' });
  emit({ type: 'step', step: 'ready', title: 'Agent pods Ready', status: 'running' });
  for (let round = 0; round <= 30; round++) {
    for (let i = 0; i < 20; i++) {
      const n = round * 20 + i;
      emit({ type: 'log', source: 'helm', line: n % 7 === 0 ? `line ${n} ${'x'.repeat(300)}` : `line ${n} applying resources`, stream: n % 11 === 0 ? 'stderr' : 'stdout' });
    }
    emit({ type: 'readiness', ...readiness(round) });
    await sleep(5);
  }
  emit({ type: 'step', step: 'helm', title: 'helm upgrade --install', status: 'done' });
  emit({ type: 'step', step: 'ready', title: 'Agent pods Ready', status: 'failed', detail: `gitlab-agent-7d9f-pod00: ErrImagePull: ${LONG}` });
  const clean = await asker.ask({ kind: 'confirm', id: 'cleanup', message: 'The install failed. Remove what this run created (agent, namespace, token, secret, release)?', help: 'No keeps everything, so a re-run can continue where this one stopped.', default: false });
  return {
    exitCode: ExitCode.failure,
    headline: `readiness failed: gitlab-agent-7d9f-pod00: ErrImagePull: ${LONG}`,
    details: [`Next: Check --image-tag and --image-repository (the tag must exist, with its v prefix), and that the cluster can reach the registry`, clean ? 'cleaned' : 'kept'],
    ledger: [],
  };
};

describe('the live area', () => {
  for (const [rows, columns] of [
    [24, 80],
    [30, 100],
    [24, 60],
  ] as const) {
    it(`never has more lines than a ${columns}×${rows} terminal, nor lines wider than it, while everything streams`, async () => {
      const exits: number[] = [];
      const r = render(<App menu={MENU} initialCommand="install" start={flood} onExit={(c) => exits.push(c)} />);
      setSize(r, rows, columns);
      const from = r.frames.length;
      await waitForText(r, '❯ context-0');
      await press(r, KEY.enter);
      await waitForText(r, 'Remove what this run created', 15_000);
      const atQuestion = liveArea(frame(r));
      await press(r, 'n');
      await waitFor(() => exits.length > 0, () => frame(r), 10_000);

      const frames = r.frames.slice(from).filter((f) => f.trim() !== '');
      expect(frames.length).toBeGreaterThan(10);
      let tallest = 0;
      for (const f of frames) {
        const live = liveArea(f);
        tallest = Math.max(tallest, live.length);
        expect(live.length, live.join('\n')).toBeLessThanOrEqual(rows - 1);
        for (const line of live) expect(line.length, line).toBeLessThanOrEqual(columns);
      }
      // It was full, not empty: the budget was used.
      expect(tallest).toBeGreaterThanOrEqual(rows - 4);

      // At the question: the header on top, the question and its keys at the bottom, the readiness verdict between.
      expect(atQuestion[0]).toBe(TITLE);
      expect(atQuestion.join('\n')).toContain('Readiness failed');
      expect(atQuestion.join('\n')).toMatch(/Remove what this run created/);
      expect(atQuestion.at(-1)).toMatch(/y yes · n no/);

      // The end: the report is the last thing; no live header, no "exit code" under it; the failure said once.
      const end = frame(r);
      expect(liveArea(end)).toEqual([]);
      expect(end).not.toContain('exit code');
      // The report too fits the width, even with words longer than a row (an image reference).
      for (const line of stripAnsi(end).split('\n')) expect(line.length, line).toBeLessThanOrEqual(columns);
      // Wrapping breaks words too long for a row: compare without any white space.
      const flat = end.replace(/\s+/g, '');
      const once = (text: string) => flat.split(text.replace(/\s+/g, '')).length - 1;
      // whole once, in the report; the failed step's own line is one row, cut
      expect(once(`gitlab-agent-7d9f-pod00: ErrImagePull: ${LONG}`)).toBe(1);
      const stepLine = stripAnsi(end).split('\n').find((l) => l.startsWith('✗ Agent pods Ready'));
      expect(stepLine).toMatch(/…$/);
      expect(stepLine!.length, stepLine).toBeLessThanOrEqual(columns);
      expect(once('Check --image-tag and --image-repository')).toBe(1);
    }, 30_000);
  }

  it('stops a step timer while a question waits for the user', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const start: RunCommand = async (_id, { asker, emit }) => {
      emit({ type: 'step', step: 'context', title: 'Kubernetes context', status: 'running' });
      await asker.ask({ kind: 'select', id: 'ctx', message: 'Which cluster?', choices: [{ value: 'a', label: 'a' }, { value: 'b', label: 'b' }] });
      await gate;
      emit({ type: 'step', step: 'context', title: 'Kubernetes context', status: 'done' });
      return { exitCode: ExitCode.ok, headline: 'done', details: [], ledger: [] };
    };
    const r = render(<App menu={MENU} initialCommand="install" start={start} />);
    await waitForText(r, '? Which cluster?');
    await sleep(2300);
    // Two seconds of waiting for the answer are not the step's
    expect(frame(r)).toMatch(/Kubernetes context 0s/);
    await press(r, KEY.enter);
    await sleep(1200);
    expect(frame(r)).toMatch(/Kubernetes context 1s/);
    release();
    const f = await waitForText(r, '✓ Kubernetes context');
    expect(f).toMatch(/✓ Kubernetes context [01]s/);
  }, 15_000);
});
