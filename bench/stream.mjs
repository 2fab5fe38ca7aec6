// Bench 2, streaming: a fake helm printing 100 000 lines as fast as it can, through the TUI's log pane
// (bench/harness/stream.ts: real runTui + real helm adapter) vs the same helm piped to `cat`, both on
// the same tmux terminal, alternated. Also the TUI's peak RSS and key press → frame latency during the flood.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildHarness } from './lib/build-harness.mjs';
import { shQuote } from './lib/pty.mjs';
import { Tmux } from './lib/tmux.mjs';
import { BENCH, FAKE_HELM, NODE, budget, median, nowMs, percentile, pollFor, round, sleep } from './lib/util.mjs';

// At most 10: ChoiceList then never scrolls, so every move redraws the row that gets the pointer (Ink 8 redraws only
// the changed tail of each line; a scrolling window would only rewrite label digits).
const CHOICES = 10;

function readLive(file) {
  if (!existsSync(file)) return {};
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' '))
      .map(([k, v]) => [k, Number(v)]),
  );
}

/** The parsed file, or undefined while it is missing (results are written whole and renamed into place). */
function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Press j (1-based) is on screen at the first terminal write whose cursor has moved j steps in total. */
export function keyLatencies(sends, cursorFrames, choices = CHOICES) {
  const shownAt = [];
  let previous = 0;
  for (const frame of cursorFrames) {
    const steps = (frame.index - previous + choices) % choices;
    previous = frame.index;
    for (let s = 0; s < steps; s++) shownAt.push(frame.at);
  }
  return sends.map((sentAt, j) => (shownAt[j] === undefined ? undefined : shownAt[j] - sentAt));
}

export async function tuiRun(tmux, harness, dir, i, { linesPerStream, keyEveryMs }) {
  const out = join(dir, `tui-${i}.json`);
  const session = `tui${i}`;
  const spawnedAt = nowMs();
  await tmux.start(session, [NODE, harness], {
    env: { GLAT_BENCH_OUT: out, GLAT_BENCH_HELM: FAKE_HELM, GLAT_BENCH_LINES: String(linesPerStream), GLAT_BENCH_CHOICES: String(CHOICES) },
  });
  tmux.attachControl(session);
  const live = `${out}.live`;
  const started = await pollFor(() => readLive(live)['helm-start'], { timeoutMs: 20_000, everyMs: 2 });
  if (started === undefined) throw new Error(`stream harness never started helm: ${await tmux.capture(session).catch(() => '?')}`);
  // ↓ at jittered intervals while helm floods; only presses sent before helm exits are scored.
  const sends = [];
  for (;;) {
    await sleep(keyEveryMs[0] + Math.random() * (keyEveryMs[1] - keyEveryMs[0]));
    if (readLive(live)['helm-exit'] !== undefined || existsSync(out)) break;
    sends.push(tmux.sendKey('Down'));
    if (sends.length > 10_000) break;
  }
  await tmux.detachControl();
  const result = await pollFor(() => readJson(out), { timeoutMs: 60_000, everyMs: 20 });
  if (!result) throw new Error(`stream harness wrote no result: ${await tmux.capture(session).catch(() => '?')}`);
  // Every press moves the cursor one row (mod CHOICES). Ten or more presses inside one frame would alias (lose 10
  // steps); only the last press or two may legitimately be undrawn (sent as helm exited).
  const drawnSteps = keyLatencies(sends, result.cursorFrames).filter((x) => x !== undefined).length;
  const consistent = sends.length - drawnSteps <= 2;
  // Scored: presses sent while helm ran and ≥ 100 ms before the TUI finished (a later one may land after the last frame).
  const scored = sends.filter((s) => s < result.marks['helm-exit'] && s < result.marks['tui-done'] - 100);
  const latencies = keyLatencies(scored, result.cursorFrames);
  // When each press reached the harness's event loop (stdin 'readable'), for telling queueing from rendering.
  const readable = scored.map((s) => result.stdinReadable.find((r) => r >= s)).map((r, j) => (r === undefined ? undefined : r - scored[j]));
  return {
    helmPhaseMs: result.marks['tui-done'] - result.marks['helm-start'],
    helmRunMs: result.marks['helm-exit'] - result.marks['helm-start'],
    helmPhaseCpuMs: result.cpuMs['tui-done'] - result.cpuMs['helm-start'],
    processMs: result.marks['tui-done'] - spawnedAt,
    lines: result.marks.lines,
    peakRssMB: result.vmHWMkB / 1024,
    terminalWrites: result.writes,
    terminalBytes: result.bytes,
    keyLatencies: consistent ? latencies : latencies.map(() => undefined),
    consistent,
    keyToStdin: readable,
    exitCode: result.exitCode,
  };
}

export async function catRun(tmux, dir, i, { linesPerStream }) {
  const out = join(dir, `cat-${i}.json`);
  const session = `cat${i}`;
  const pipeline = `${shQuote(FAKE_HELM)} upgrade --install x y 2>&1 | cat`;
  await tmux.start(session, [NODE, join(BENCH, 'harness', 'timed.mjs'), pipeline], {
    env: { GLAT_BENCH_OUT: out, FAKE_HELM_LINES: String(linesPerStream), FAKE_HELM_LINES_TO: 'both' },
  });
  const result = await pollFor(() => readJson(out), { timeoutMs: 60_000, everyMs: 20 });
  if (!result || result.code !== 0) throw new Error(`cat run failed: ${JSON.stringify(result)}`);
  return { wallMs: result.wallMs };
}

export async function runStream({
  runs = 5,
  lines = 100_000,
  keyEveryMs = [30, 70],
  longLines = 1_000_000,
  harness: prebuilt,
  log = () => {},
} = {}) {
  // `harness` (a prebuilt bundle) is for trying a change to src/ from a copy of the tree.
  const harness = prebuilt ?? (await buildHarness('stream'));
  const dir = mkdtempSync(join(tmpdir(), 'glat-bench-stream-'));
  const tmux = new Tmux();
  const linesPerStream = Math.round(lines / 2); // fake helm writes N to stdout and N to stderr
  const tui = [];
  const cat = [];
  try {
    // One warm-up of each (compile cache, page cache), not scored.
    await tuiRun(tmux, harness, dir, 'w', { linesPerStream, keyEveryMs });
    await catRun(tmux, dir, 'w', { linesPerStream });
    for (let i = 0; i < runs; i++) {
      const order = i % 2 === 0 ? ['tui', 'cat'] : ['cat', 'tui'];
      for (const which of order) {
        if (which === 'tui') tui.push(await tuiRun(tmux, harness, dir, i, { linesPerStream, keyEveryMs }));
        else cat.push(await catRun(tmux, dir, i, { linesPerStream }));
        await sleep(100);
      }
      log(`stream round ${i + 1}/${runs}: tui ${round(tui.at(-1).helmPhaseMs)} ms, cat ${round(cat.at(-1).wallMs)} ms`);
    }
    // Ten times the lines once: memory must not grow with the log (ring buffer), keys still answered.
    const long =
      longLines > 0 ? await tuiRun(tmux, harness, dir, 'long', { linesPerStream: Math.round(longLines / 2), keyEveryMs }) : undefined;
    if (long) log(`stream long run: ${long.lines} lines in ${round(long.helmPhaseMs)} ms, peak RSS ${round(long.peakRssMB)} MB`);
    const latencies = tui.flatMap((r) => r.keyLatencies);
    const shown = latencies.filter((x) => x !== undefined);
    const missing = latencies.length - shown.length;
    const toStdin = tui.flatMap((r) => r.keyToStdin).filter((x) => x !== undefined);
    const tuiMed = median(tui.map((r) => r.helmPhaseMs));
    const catMed = median(cat.map((r) => r.wallMs));
    const peak = Math.max(...tui.map((r) => r.peakRssMB));
    // A press never drawn counts as infinitely late.
    const p95 = missing > 0 && missing / latencies.length > 0.05 ? Infinity : percentile([...shown, ...Array(missing).fill(Infinity)], 95);
    const figures = {
      lines_per_run: tui[0]?.lines,
      tui_helm_phase_ms: {
        median: round(tuiMed),
        samples: tui.map((r) => round(r.helmPhaseMs)),
        what: 'helm spawn → flow settled, final frame drawn, Ink unmounted',
      },
      tui_helm_phase_cpu_ms: {
        median: round(median(tui.map((r) => r.helmPhaseCpuMs))),
        what: 'CPU (user+sys) the TUI process spent in that phase',
      },
      tui_helm_run_ms: { median: round(median(tui.map((r) => r.helmRunMs))), what: 'helm spawn → helm exited (all lines consumed)' },
      tui_process_ms: { median: round(median(tui.map((r) => r.processMs))), what: 'tmux session start → TUI done (includes start-up)' },
      cat_wall_ms: {
        median: round(catMed),
        samples: cat.map((r) => round(r.wallMs)),
        what: "sh -c 'helm … 2>&1 | cat' on the same terminal",
      },
      ratio_tui_over_cat: round(tuiMed / catMed, 2),
      peak_rss_mb: { max: round(peak), samples: tui.map((r) => round(r.peakRssMB)) },
      terminal_writes_per_run: median(tui.map((r) => r.terminalWrites)),
      terminal_bytes_per_run: median(tui.map((r) => r.terminalBytes)),
      key_press_to_frame_ms: {
        presses: latencies.length,
        never_drawn: missing,
        inconsistent_runs: tui.filter((r) => !r.consistent).length,
        p50: round(percentile(shown, 50)),
        p95: round(p95),
        max: round(Math.max(...shown)),
        what: 'tmux send-keys Down (control client) → the terminal write that shows the moved cursor',
      },
      key_press_to_stdin_ms: {
        p50: round(percentile(toStdin, 50)),
        p95: round(percentile(toStdin, 95)),
        what: 'same press → stdin readable in the TUI',
      },
      long_run: long
        ? {
            lines: long.lines,
            helm_phase_ms: round(long.helmPhaseMs),
            peak_rss_mb: round(long.peakRssMB),
            key_p95_ms: round(
              percentile(
                long.keyLatencies.filter((x) => x !== undefined),
                95,
              ),
            ),
            presses: long.keyLatencies.length,
          }
        : undefined,
    };
    return {
      bench: 'stream',
      figures,
      budgets: [
        budget(
          'streaming: wall, TUI / cat',
          tuiMed / catMed,
          1.2,
          '×',
          `medians of ${runs} alternated runs, ${tui[0]?.lines} lines: ${round(tuiMed)} ms vs ${round(catMed)} ms`,
        ),
        budget('streaming: peak RSS of the TUI', peak, 200, 'MB', `max VmHWM over ${runs} runs`),
        budget('streaming: key press → frame p95', p95, 100, 'ms', `${latencies.length} presses during the floods, ${missing} never drawn`),
      ],
    };
  } finally {
    await tmux.kill().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}
