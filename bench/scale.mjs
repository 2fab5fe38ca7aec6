// Bench 4, scale: a kubeconfig with 50 contexts, half of them pointing at a local TCP server that accepts and
// never answers (each such probe can only end by its timeout), the rest at a closed port (and, when the e2e
// control plane is up, at the real cluster). The TUI's context picker (bench/harness/scale.ts: real runTui,
// real chooseContext, real kube adapter) must be on screen before any probe answers, and all 50 probes
// must have answered within one probe timeout, not 50.
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { buildHarness } from './lib/build-harness.mjs';
import { keyLatencies } from './stream.mjs';
import { Tmux } from './lib/tmux.mjs';
import { NODE, budget, median, nowMs, percentile, pollFor, round, sleep } from './lib/util.mjs';

const CONTEXTS = 50;
const CLOSED_PORT = 2; // nothing listens on 127.0.0.1:2 (as in test/e2e/cluster)
const DEFAULT_PROBE_TIMEOUT_MS = 4000; // src/core/install/choose-context.ts

/** Accepts on 127.0.0.1 and never answers: a TLS handshake to it hangs until the client gives up. */
export async function blackHole() {
  const sockets = new Set();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

/** ctx-00…ctx-49: even = black hole, odd = closed port, or every other odd one the real e2e cluster if given. */
export function writeKubeconfig(file, blackHolePort, realKubeconfig) {
  let real;
  if (realKubeconfig) {
    const doc = parse(readFileSync(realKubeconfig, 'utf8'));
    const ctx = doc.contexts.find((c) => c.name === doc['current-context']) ?? doc.contexts[0];
    real = {
      cluster: doc.clusters.find((c) => c.name === ctx.context.cluster).cluster,
      user: doc.users.find((u) => u.name === ctx.context.user).user,
    };
  }
  const clusters = [];
  const users = [];
  const contexts = [];
  const kinds = [];
  for (let i = 0; i < CONTEXTS; i++) {
    const name = `ctx-${String(i).padStart(2, '0')}`;
    const kind = i % 2 === 0 ? 'black-hole' : real && i % 4 === 1 ? 'real' : 'closed-port';
    kinds.push(kind);
    const cluster =
      kind === 'real'
        ? real.cluster
        : { server: `https://127.0.0.1:${kind === 'black-hole' ? blackHolePort : CLOSED_PORT}`, 'insecure-skip-tls-verify': true };
    const user = kind === 'real' ? real.user : { token: `bench-token-${i}` };
    clusters.push({ name, cluster });
    users.push({ name, user });
    contexts.push({ name, context: { cluster: name, user: name } });
  }
  writeFileSync(
    file,
    stringify({ apiVersion: 'v1', kind: 'Config', clusters, users, contexts, 'current-context': 'ctx-00', preferences: {} }),
  );
  return kinds;
}

function readLive(file) {
  try {
    return Object.fromEntries(
      readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(' '))
        .map(([k, v]) => [k, Number(v)]),
    );
  } catch {
    return {};
  }
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

async function once(tmux, harness, dir, i, kubeconfig, keys) {
  const out = join(dir, `scale-${i}.json`);
  const session = `scale${i}`;
  await tmux.start(session, [NODE, harness], { env: { GLAT_BENCH_OUT: out, GLAT_BENCH_KUBECONFIG: kubeconfig } });
  tmux.attachControl(session);
  const shown = await pollFor(() => readLive(`${out}.live`)['question-shown'], { timeoutMs: 20_000, everyMs: 2 });
  // A few ↓ while the probes are still out (the first ones land while client-node is being imported).
  const sends = [];
  if (shown !== undefined) {
    for (let k = 0; k < keys; k++) {
      await sleep(k === 0 ? 50 : 150 + Math.random() * 100);
      sends.push(tmux.sendKey('Down'));
    }
  }
  await tmux.detachControl();
  const result = await pollFor(() => readJson(out), { timeoutMs: 60_000, everyMs: 20 });
  if (!result) throw new Error(`scale harness wrote no result: ${await tmux.capture(session).catch(() => '?')}`);
  // The picker has 50 rows: the cursor only moves from 0 to `keys` (≤ 5), so it never wraps and never scrolls.
  const latencies = keyLatencies(sends, result.cursorFrames, CONTEXTS);
  return { ...result, sends, latencies };
}

export async function runScale({ runs = 3, keys = 4, realKubeconfig, harness: prebuilt, log = () => {} } = {}) {
  // `harness` (a prebuilt bundle) is for trying a change to src/ from a copy of the tree.
  const harness = prebuilt ?? (await buildHarness('scale'));
  const dir = mkdtempSync(join(tmpdir(), 'glat-bench-scale-'));
  const hole = await blackHole();
  const tmux = new Tmux();
  const kubeconfig = join(dir, 'kubeconfig.yaml');
  const kinds = writeKubeconfig(kubeconfig, hole.port, realKubeconfig);
  const timeout = DEFAULT_PROBE_TIMEOUT_MS;
  const rows = [];
  try {
    for (let i = 0; i < runs; i++) {
      const r = await once(tmux, harness, dir, i, kubeconfig, keys);
      const t0 = r.marks['flow-start'];
      const answers = r.probes.map((p) => p.doneAt);
      const firstAnswer = Math.min(...answers);
      const lastAnswer = Math.max(...answers);
      const firstCall = Math.min(...r.probes.map((p) => p.calledAt));
      const byKind = {};
      r.probes.forEach((p) => {
        const k = `${kinds[Number(p.context.slice(4))]}→${p.kind}`;
        byKind[k] = (byKind[k] ?? 0) + 1;
      });
      const row = {
        probes: r.probes.length,
        questionShownMs: r.marks['question-shown'] - t0,
        firstAnswerMs: firstAnswer - t0,
        lastAnswerMs: lastAnswer - t0,
        allProbesSpanMs: lastAnswer - firstCall,
        // A probe's own clock (elapsedMs) starts once its kubeconfig is read and client-node is imported.
        clocksStartedMs: Math.min(...r.probes.map((p) => p.doneAt - p.elapsedMs)) - firstCall,
        lastClockStartMs: Math.max(...r.probes.map((p) => p.doneAt - p.elapsedMs)) - firstCall,
        afterClocksMs: lastAnswer - Math.min(...r.probes.map((p) => p.doneAt - p.elapsedMs)),
        maxProbeOwnElapsedMs: Math.max(...r.probes.map((p) => p.elapsedMs ?? NaN)),
        sumOfProbeWallsMs: r.probes.reduce((a, p) => a + (p.doneAt - p.calledAt), 0),
        byKind,
        keyLatencies: r.latencies,
      };
      rows.push(row);
      log(
        `scale run ${i + 1}/${runs}: picker at ${round(row.questionShownMs)} ms, first probe answer ${round(row.firstAnswerMs)} ms, ` +
          `all ${row.probes} answered by ${round(row.lastAnswerMs)} ms, keys ${row.keyLatencies.map((x) => (x === undefined ? '-' : round(x, 0))).join('/')} ms`,
      );
      await sleep(200);
    }
  } finally {
    await tmux.kill().catch(() => {});
    hole.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const worstShownOverFirst = Math.max(...rows.map((r) => r.questionShownMs / r.firstAnswerMs));
  const worstSpan = Math.max(...rows.map((r) => r.allProbesSpanMs));
  const worstAfterImport = Math.max(...rows.map((r) => r.afterClocksMs));
  const keysAll = rows.flatMap((r) => r.keyLatencies);
  const keysShown = keysAll.filter((x) => x !== undefined);
  return {
    bench: 'scale',
    figures: {
      contexts: CONTEXTS,
      kinds: Object.fromEntries(['black-hole', 'closed-port', 'real'].map((k) => [k, kinds.filter((x) => x === k).length])),
      probe_timeout_ms: timeout,
      picker_shown_ms: {
        median: round(median(rows.map((r) => r.questionShownMs))),
        what: 'flow start → first terminal write showing the picker',
      },
      first_probe_answer_ms: {
        median: round(median(rows.map((r) => r.firstAnswerMs))),
        what: 'flow start → first probe result (includes importing client-node)',
      },
      all_probes_answered_ms: {
        median: round(median(rows.map((r) => r.lastAnswerMs))),
        max: round(Math.max(...rows.map((r) => r.lastAnswerMs))),
      },
      all_probes_span_ms: { max: round(worstSpan), what: 'first probe call → last probe result' },
      first_probe_clock_start_ms: {
        median: round(median(rows.map((r) => r.clocksStartedMs))),
        what: 'first probe call → first probe past its set-up (kubeconfig read + parse, client-node import), when its own timeout clock starts',
      },
      last_probe_clock_start_ms: {
        median: round(median(rows.map((r) => r.lastClockStartMs))),
        what: 'first probe call → last probe past its set-up',
      },
      after_first_clock_ms: { max: round(worstAfterImport), what: 'first probe clock start → last probe result' },
      max_probe_own_elapsed_ms: round(Math.max(...rows.map((r) => r.maxProbeOwnElapsedMs))),
      sum_of_probe_walls_ms: {
        median: round(median(rows.map((r) => r.sumOfProbeWallsMs))),
        what: 'what probing one after another would have cost',
      },
      results: rows[0]?.byKind,
      key_press_to_frame_during_probes_ms: {
        presses: keysAll.length,
        never_drawn: keysAll.length - keysShown.length,
        p50: round(percentile(keysShown, 50)),
        p95: round(percentile(keysShown, 95)),
        max: round(Math.max(...keysShown)),
        samples: keysAll.map((x) => (x === undefined ? null : round(x))),
        what: '↓ sent 50 ms after the picker shows, then every 150–250 ms (no budget in issue 5; shows the client-node import freeze)',
      },
      runs: rows.length,
    },
    budgets: [
      budget(
        'scale: picker on screen before any probe answers',
        worstShownOverFirst,
        1,
        '×',
        `picker time / first probe answer, worst of ${runs} runs`,
      ),
      budget(
        'scale: all 50 probes answered within one timeout',
        worstAfterImport / timeout,
        1.1,
        '×',
        `first probe past its set-up (client-node imported) → last answer, over the ${timeout} ms timeout, worst of ${runs}; set-up ${round(median(rows.map((r) => r.clocksStartedMs)), 0)} ms is reported apart; first call → last answer ${round(worstSpan, 0)} ms`,
      ),
    ],
  };
}
