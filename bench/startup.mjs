// Bench 1, start-up: process start → first frame of the main menu (marked from inside by
// GLAT_BENCH_FIRST_FRAME, see src/ui/tui/run.tsx), and whole-process --help / --version, each beside a
// bare `node -e 0` and a process that only imports yoga-layout. Variants alternate within every round.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnOnPty } from './lib/pty.mjs';
import { BENCH, NODE, budget, childEnv, median, paths, pollFor, readMarker, round, sleep } from './lib/util.mjs';

const MENU_TEXT = 'What do you want to do?';

/** Each variant: argv, and whether its time ends at an inside marker or at process exit. */
const variants = (cli) => [
  { id: 'pty-wrapper', argv: ['true'], end: 'exit', note: 'script + sh + stty + exec /bin/true: the harness itself' },
  { id: 'bare-node', argv: [NODE, '-e', '0'], end: 'exit', note: 'node -e 0' },
  {
    id: 'yoga-import',
    argv: [NODE, join(BENCH, 'startup', 'import-yoga.mjs')],
    end: 'marker',
    note: "import Yoga from 'yoga-layout', then mark",
  },
  { id: 'first-frame', argv: [NODE, cli, '--demo'], end: 'marker', note: 'gitlab-agent-tui --demo: first frame of the main menu' },
  { id: 'help', argv: [NODE, cli, '--help'], end: 'exit', note: 'gitlab-agent-tui --help, whole process' },
  { id: 'version', argv: [NODE, cli, '--version'], end: 'exit', note: 'gitlab-agent-tui --version, whole process' },
];

async function once(variant, dir, i) {
  const mark = join(dir, `${variant.id}-${i}.mark`);
  const env = childEnv({ ...variant.env, GLAT_BENCH_FIRST_FRAME: mark, GLAT_BENCH_MARK: mark });
  const pty = spawnOnPty(variant.argv, { env });
  let markerAt;
  if (variant.end === 'marker') {
    markerAt = await pollFor(() => readMarker(mark), { timeoutMs: 15_000, everyMs: 1 });
    if (variant.id.startsWith('first-frame')) {
      // Leave the menu the way a user would; the frame must really be the menu.
      const shown = await pollFor(() => (pty.output().includes(MENU_TEXT) ? true : undefined), { timeoutMs: 5_000 });
      if (!shown) throw new Error(`first frame without "${MENU_TEXT}": ${JSON.stringify(pty.output().slice(0, 400))}`);
      pty.write('q');
    }
  }
  const timer = setTimeout(pty.kill, 10_000);
  const exit = await pty.exited;
  clearTimeout(timer);
  if (variant.end === 'exit' && exit.code !== 0) throw new Error(`${variant.id} exited ${exit.code}: ${pty.output().slice(0, 400)}`);
  if (variant.end === 'marker' && markerAt === undefined) throw new Error(`${variant.id}: no marker written`);
  return variant.end === 'marker' ? markerAt - pty.startedAt : exit.at - pty.startedAt;
}

/** Runs every variant `runs` times (after `warmup` discarded rounds), rotating the order each round; samples in ms by id. */
export async function measureVariants(variants, { runs, warmup = 2, log = () => {} }) {
  const dir = mkdtempSync(join(tmpdir(), 'glat-bench-startup-'));
  const samples = Object.fromEntries(variants.map((v) => [v.id, []]));
  try {
    for (let round_ = 0; round_ < warmup + runs; round_++) {
      // Rotate the order every round so no variant always runs first (or right after a heavy one).
      const order = variants.map((_, k) => variants[(k + round_) % variants.length]);
      for (const variant of order) {
        const ms = await once(variant, dir, round_);
        if (round_ >= warmup) samples[variant.id].push(ms);
        await sleep(20);
      }
      log(round_ < warmup ? `startup warm-up ${round_ + 1}/${warmup}` : `startup round ${round_ + 1 - warmup}/${runs}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return samples;
}

export async function runStartup({ runs = 15, warmup = 2, log = () => {} } = {}) {
  const VARIANTS = variants(paths.cli);
  const samples = await measureVariants(VARIANTS, { runs, warmup, log });
  const med = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
  const figures = Object.fromEntries(
    VARIANTS.map((v) => [
      v.id,
      {
        median_ms: round(med[v.id]),
        min_ms: round(Math.min(...samples[v.id])),
        max_ms: round(Math.max(...samples[v.id])),
        runs: samples[v.id].length,
        what: v.note,
        samples_ms: samples[v.id].map((x) => round(x)),
      },
    ]),
  );
  figures.ratios = {
    first_frame_over_yoga: round(med['first-frame'] / med['yoga-import'], 2),
    help_over_bare: round(med.help / med['bare-node'], 2),
    version_over_bare: round(med.version / med['bare-node'], 2),
    // The same ratios with the pty harness's own start subtracted from both sides (stricter, for reading only).
    first_frame_over_yoga_net: round((med['first-frame'] - med['pty-wrapper']) / (med['yoga-import'] - med['pty-wrapper']), 2),
    help_over_bare_net: round((med.help - med['pty-wrapper']) / (med['bare-node'] - med['pty-wrapper']), 2),
  };
  return {
    bench: 'startup',
    figures,
    budgets: [
      budget(
        'start-up: first frame / yoga-import process',
        med['first-frame'] / med['yoga-import'],
        1.3,
        '×',
        `medians of ${runs} alternated runs under a pty: ${round(med['first-frame'])} ms vs ${round(med['yoga-import'])} ms`,
      ),
      budget(
        'start-up: --help / bare node',
        med.help / med['bare-node'],
        2.5,
        '×',
        `medians of ${runs} alternated runs under a pty: ${round(med.help)} ms vs ${round(med['bare-node'])} ms`,
      ),
    ],
  };
}
