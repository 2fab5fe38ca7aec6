// Shared helpers for the benches: clock, statistics, process spawning and the result shape.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BENCH = join(ROOT, 'bench');
/** The Node that runs the bench (npm run bench: the node@24 devDependency); every child uses it too. */
export const NODE = process.execPath;
/**
 * The source tree the CLI and the harnesses are built from: this checkout, or (`npm run bench -- --root=DIR`)
 * a copy with a proposed change, measured by the same bench code.
 */
export const sourceRoot = { dir: ROOT };
/** The CLI the benches run: bench/run.mjs points `cli` at its own build (lib/build-cli.mjs), or at bin/ with --no-build. */
export const paths = { cli: join(ROOT, 'bin', 'gitlab-agent-tui.js') };
export const FAKE_HELM = join(ROOT, 'test', 'fake-helm', 'helm');

/** Epoch milliseconds with sub-ms precision, comparable across processes on this machine. */
export const nowMs = () => performance.timeOrigin + performance.now();
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Environment for children: our Node first on PATH (fake helm is `#!/usr/bin/env node`), CI unset (Ink would print only its last frame). */
export function childEnv(extra = {}) {
  const env = { ...process.env, PATH: `${dirname(NODE)}:${join(ROOT, 'node_modules', '.bin')}:${process.env.PATH ?? ''}` };
  delete env.CI;
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  for (const key of Object.keys(env)) if (key.startsWith('GLAT_BENCH_') || key.startsWith('FAKE_HELM_')) delete env[key];
  env.TERM = 'xterm-256color';
  return { ...env, ...extra };
}

export function median(values) {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const rank = Math.min(s.length, Math.max(1, Math.ceil((p / 100) * s.length)));
  return s[rank - 1];
}

export const round = (x, digits = 1) => (Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : x);

/** Runs a command to completion; resolves { code, signal, stdout, stderr, ms }. Never rejects on a non-zero exit. */
export function run(cmd, args, { env = childEnv(), cwd = ROOT, input, timeoutMs = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    const started = nowMs();
    const child = spawn(cmd, args, { env, cwd, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    if (input !== undefined) child.stdin.end(input);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: nowMs() - started });
    });
  });
}

/** Polls `read()` until it returns something other than undefined; undefined after timeoutMs. */
export async function pollFor(read, { timeoutMs = 10_000, everyMs = 2 } = {}) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > until) return undefined;
    await sleep(everyMs);
  }
}

/** First number in a marker file, or undefined while it is missing or empty. */
export function readMarker(file) {
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8').trim();
  if (text === '') return undefined;
  const value = Number(text.split('\n')[0]);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * One budget: `measured` must be ≤ `limit`. `unit` is how both print ("×", "ms", "MB").
 * `how` says in a few words what was compared.
 */
export function budget(name, measured, limit, unit, how) {
  const ok = Number.isFinite(measured) && measured <= limit;
  return { name, measured: round(measured, unit === '×' ? 2 : 1), limit, unit, status: ok ? 'PASS' : 'MISS', how };
}

/** A bench that could not run (e.g. no control plane): reported, never a failure of `npm run bench`. */
export function skipped(bench, reason, budgetNames = []) {
  return {
    bench,
    skipped: reason,
    budgets: budgetNames.map(([name, limit, unit]) => ({ name, measured: null, limit, unit, status: 'SKIP', how: reason })),
    figures: {},
  };
}
