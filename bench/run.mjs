// `npm run bench`: builds the CLI (scripts/build.mjs, into bench/.build/cli), runs the four benches of issue 5 one after another,
// prints one table of budgets (PASS / MISS / SKIP / ERROR) and writes everything to bench/results/latest.json.
// Always exits 0: a missed budget is a finding to read, not a failed build. See bench/README.md.
//
//   npm run bench                      all four
//   npm run bench -- startup stream    only these (startup, stream, readiness, scale, flux, lifecycle, troubleshoot)
//   npm run bench -- --quick           fewer runs (a smoke test of the benches themselves)
//   npm run bench -- --no-build        measure bin/ + dist/ as they are (default: a private build of src/)
//   npm run bench -- --root=DIR        build the CLI and harnesses from another tree (a copy with a proposed change)
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { runFlux } from './flux.mjs';
import { runLifecycle } from './lifecycle.mjs';
import { runReadiness } from './readiness.mjs';
import { runScale } from './scale.mjs';
import { runStartup } from './startup.mjs';
import { runStream } from './stream.mjs';
import { runTroubleshoot } from './troubleshoot.mjs';
import { buildCliSnapshot } from './lib/build-cli.mjs';
import { BENCH, ROOT, paths, sourceRoot } from './lib/util.mjs';

const args = process.argv.slice(2);
const rootArg = args.find((a) => a.startsWith('--root='));
if (rootArg) sourceRoot.dir = resolve(rootArg.slice('--root='.length));
const quick = args.includes('--quick');
const build = !args.includes('--no-build');
const ALL = ['startup', 'stream', 'scale', 'readiness', 'flux', 'lifecycle', 'troubleshoot'];
const chosen = args.filter((a) => !a.startsWith('--'));
const unknown = chosen.filter((a) => !ALL.includes(a));
if (unknown.length > 0) {
  console.error(`unknown bench: ${unknown.join(', ')} (choose from ${ALL.join(', ')})`);
  process.exit(2);
}
const selected = chosen.length > 0 ? ALL.filter((b) => chosen.includes(b)) : ALL;
const log = (line) => console.error(`[bench] ${line}`);

const BENCHES = {
  startup: () => runStartup({ runs: quick ? 5 : 15, log }),
  stream: () => runStream({ runs: quick ? 2 : 8, longLines: quick ? 0 : 1_000_000, log }),
  scale: () => runScale({ runs: quick ? 1 : 3, log }),
  readiness: () => runReadiness({ samples: quick ? 4 : 10, installRuns: quick ? 1 : 3, log }),
  flux: () => runFlux({ samples: quick ? 3 : 8, log }),
  lifecycle: () => runLifecycle({ statusRuns: quick ? 1 : 3, upgradeRuns: quick ? 1 : 3, log }),
  troubleshoot: () => runTroubleshoot({ runs: quick ? 2 : 5, log }),
};

// Ctrl-C: exit through process.exit so the benches' exit hooks stop their tmux servers and control plane.
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));
// CI=true makes Ink print only its last frame: the benches run the TUI on terminals and need it unset.
delete process.env.CI;
const started = new Date();
const load = { before: loadavg() };
if (build) {
  log('building the CLI with scripts/build.mjs into bench/.build/cli (dist/ is left alone)');
  paths.cli = await buildCliSnapshot();
}
log(`CLI under test: ${paths.cli}${sourceRoot.dir !== ROOT ? ` (built from ${sourceRoot.dir})` : ''}`);

const results = [];
for (const name of selected) {
  const t0 = Date.now();
  log(`${name}: running`);
  try {
    results.push({ ...(await BENCHES[name]()), seconds: Math.round((Date.now() - t0) / 100) / 10 });
  } catch (error) {
    log(`${name}: ERROR ${error?.stack ?? error}`);
    results.push({
      bench: name,
      error: String(error?.message ?? error),
      budgets: [
        {
          name: `${name}: bench failed`,
          measured: null,
          limit: null,
          unit: '',
          status: 'ERROR',
          how: String(error?.message ?? error).split('\n')[0],
        },
      ],
      figures: {},
    });
  }
  log(`${name}: done in ${Math.round((Date.now() - t0) / 1000)} s`);
}
load.after = loadavg();

// The table.
const rows = results.flatMap((r) => r.budgets);
const fmt = (b, key) => (b[key] === null || b[key] === undefined ? '–' : `${b[key]}${b.unit === '×' ? '×' : ` ${b.unit}`}`);
const table = [
  ['budget', 'measured', 'limit', 'status', 'how'],
  ...rows.map((b) => [b.name, fmt(b, 'measured'), `≤ ${fmt(b, 'limit')}`, b.status, b.how]),
];
const widths = table[0].map((_, c) => Math.min(c === 4 ? 200 : 60, Math.max(...table.map((row) => String(row[c]).length))));
const line = (row) =>
  row
    .map((cell, c) => String(cell).padEnd(widths[c]))
    .join('  ')
    .trimEnd();
console.log(line(table[0]));
console.log(widths.map((w) => '─'.repeat(w)).join('  '));
for (const row of table.slice(1)) console.log(line(row));
for (const r of results) if (r.skipped) console.log(`\n${r.bench}: skipped: ${r.skipped}`);

let commit = 'unknown';
try {
  commit = execFileSync('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  const dirty = execFileSync('git', ['-C', ROOT, 'status', '--porcelain', '--', 'src', 'scripts', 'bin'], { encoding: 'utf8' }).trim();
  if (dirty) commit += ' (+ uncommitted changes in src/scripts/bin)';
} catch {
  // not a git checkout
}
mkdirSync(join(BENCH, 'results'), { recursive: true });
const file = join(BENCH, 'results', 'latest.json');
writeFileSync(
  file,
  `${JSON.stringify({ started: started.toISOString(), quick, root: sourceRoot.dir, commit, node: process.version, cpus: cpus().length, loadavg: load, results }, null, 2)}\n`,
);
console.log(`\nfigures: ${file}`);
process.exit(0);
