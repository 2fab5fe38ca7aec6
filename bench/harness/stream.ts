// Streaming bench harness (bench/stream.mjs runs it in tmux, bundled into bench/.build/stream.js).
// The real runTui, with a StartFlow that runs the real helm adapter against test/fake-helm/helm
// (`upgrade --install x y`, FAKE_HELM_LINES per stream) and forwards every line as a helm-line event.
// While helm floods, a select question is pending: each ↓ the driver types moves its cursor, and
// this process timestamps the terminal write that shows the moved cursor.
//
// env: GLAT_BENCH_OUT (result JSON), GLAT_BENCH_HELM (fake helm path), GLAT_BENCH_LINES (lines per stream),
//      GLAT_BENCH_CHOICES (size of the select, default 10).
import { appendFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';
import { createHelmPort } from '../../src/adapters/helm/index.js';
import { ExitCode } from '../../src/core/kernel/errors.js';
import type { RunCommand as StartFlow } from '../../src/core/commands/registry.js';
import { runTui } from '../../src/ui/tui/run.js';

const now = () => performance.timeOrigin + performance.now();
const outFile = required('GLAT_BENCH_OUT');
const liveFile = `${outFile}.live`;
const helmBinary = required('GLAT_BENCH_HELM');
const linesPerStream = Number(process.env.GLAT_BENCH_LINES ?? 50_000);
const choiceCount = Number(process.env.GLAT_BENCH_CHOICES ?? 10);

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const marks: Record<string, number> = {};
/** CPU ms (user + system) this process had used at each mark: steadier than wall time on a busy machine. */
const cpuMs: Record<string, number> = {};
function mark(name: string): void {
  const cpu = process.cpuUsage();
  cpuMs[name] = (cpu.user + cpu.system) / 1000;
  marks[name] = now();
  appendFileSync(liveFile, `${name} ${marks[name]}\n`);
}

// Every terminal write: count bytes, and note when the select's cursor is drawn somewhere new.
const cursorFrames: { at: number; index: number }[] = [];
const stdinReadable: number[] = [];
let writes = 0;
let bytes = 0;
let lastIndex = 0;
// GLAT_BENCH_DEBUG_WRITES=1 keeps every terminal write (ANSI stripped) in the result, for diagnosis.
const debugWrites: { at: number; text: string }[] | undefined = process.env.GLAT_BENCH_DEBUG_WRITES ? [] : undefined;
const pointer = /❯ k(\d+)/g;
const realWrite = process.stdout.write.bind(process.stdout) as (chunk: unknown, ...rest: unknown[]) => boolean;
process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
  const at = now();
  const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
  writes += 1;
  bytes += Buffer.byteLength(text);
  debugWrites?.push({ at, text: stripVTControlCharacters(text) });
  for (const match of stripVTControlCharacters(text).matchAll(pointer)) {
    const index = Number(match[1]);
    if (index !== lastIndex) cursorFrames.push({ at, index });
    lastIndex = index;
  }
  return realWrite(chunk, ...rest);
}) as typeof process.stdout.write;
// Attached before Ink's own listener: when each key press reached this process's event loop.
process.stdin.on('readable', () => stdinReadable.push(now()));

const choices = Array.from({ length: choiceCount }, (_, i) => ({
  value: `k${String(i).padStart(2, '0')}`,
  label: `k${String(i).padStart(2, '0')}`,
}));

const start: StartFlow = async (_command, io) => {
  const helm = createHelmPort({
    binary: helmBinary,
    env: { ...process.env, FAKE_HELM_LINES: String(linesPerStream), FAKE_HELM_LINES_TO: 'both' },
  });
  // The real flow asks helm for its version first (preflight), which also loads execa.
  io.emit({ type: 'step', step: 'helm', title: 'Helm', status: 'running' });
  const version = await helm.version();
  io.emit({ type: 'step', step: 'helm', title: 'Helm', status: 'done', detail: version.version });
  // Pending for the whole flood; the driver's ↓ presses move its cursor. Abandoned (rejected) at exit.
  io.asker
    .ask({ kind: 'select', id: 'bench-keys', message: 'bench: ↓ moves this cursor during the flood', choices, default: 'k00' })
    .catch(() => undefined);
  io.emit({ type: 'step', step: 'helm-install', title: 'helm upgrade --install', status: 'running' });
  let lines = 0;
  mark('helm-start');
  const result = await helm.run({
    args: ['upgrade', '--install', 'x', 'y'],
    onLine: (line, stream) => {
      lines += 1;
      io.emit({ type: 'log', source: 'helm', line, stream });
    },
    signal: io.signal,
  });
  mark('helm-exit');
  io.emit({
    type: 'step',
    step: 'helm-install',
    title: 'helm upgrade --install',
    status: result.exitCode === 0 ? 'done' : 'failed',
    detail: `${lines} lines`,
  });
  marks.lines = lines;
  return {
    exitCode: result.exitCode === 0 ? ExitCode.ok : ExitCode.failure,
    headline: `helm printed ${lines} lines (exit ${result.exitCode})`,
    details: [],
    ledger: [],
  };
};

mark('tui-start');
const exitCode = await runTui({ menu: [], initialCommand: 'install', run: start, version: 'bench' });
mark('tui-done');
const status = readFileSync('/proc/self/status', 'utf8');
const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
writeFileSync(
  `${outFile}.tmp`,
  JSON.stringify({
    exitCode,
    marks,
    cpuMs,
    vmHWMkB: kb('VmHWM'),
    vmRSSkB: kb('VmRSS'),
    writes,
    bytes,
    cursorFrames,
    stdinReadable,
    debugWrites,
  }),
);
renameSync(`${outFile}.tmp`, outFile);
process.exit(0);
