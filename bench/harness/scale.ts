// Scale bench harness (bench/scale.mjs runs it in tmux, bundled into bench/.build/scale/scale.js).
// The real runTui, with a StartFlow that runs the real context step (chooseContext) over the real kube
// adapter: every context is probed at once, the picker is asked at once, and this process timestamps
// the first terminal write that shows the picker, each probe's start and result, and each cursor move.
// It returns (and so exits) once every probe has answered and the last hints have been drawn.
//
// env: GLAT_BENCH_OUT (result JSON), GLAT_BENCH_KUBECONFIG (the 50-context file),
//      GLAT_BENCH_PROBE_TIMEOUT_MS (default: the flow's own default).
import { appendFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';
import { createKubePort } from '../../src/adapters/kube/index.js';
import { ExitCode } from '../../src/core/kernel/errors.js';
import type { RunCommand as StartFlow } from '../../src/core/commands/registry.js';
import { chooseContext } from '../../src/core/steps/target/choose-context.js';
import type { Ports } from '../../src/core/ports/index.js';
import type { KubePort, ProbeResult } from '../../src/core/ports/kube/index.js';
import { runTui } from '../../src/ui/tui/run.js';

const now = () => performance.timeOrigin + performance.now();
const outFile = required('GLAT_BENCH_OUT');
const liveFile = `${outFile}.live`;
const kubeconfig = required('GLAT_BENCH_KUBECONFIG');
const probeTimeoutMs = process.env.GLAT_BENCH_PROBE_TIMEOUT_MS ? Number(process.env.GLAT_BENCH_PROBE_TIMEOUT_MS) : undefined;
const QUESTION = 'Which cluster should the agent run in?';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const marks: Record<string, number> = {};
function mark(name: string): void {
  marks[name] = now();
  appendFileSync(liveFile, `${name} ${marks[name]}\n`);
}

// Terminal writes: when the picker first shows, and when its cursor lands on another context.
const cursorFrames: { at: number; index: number }[] = [];
let lastIndex = 0;
const realWrite = process.stdout.write.bind(process.stdout) as (chunk: unknown, ...rest: unknown[]) => boolean;
process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
  const at = now();
  const text = stripVTControlCharacters(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
  if (marks['question-shown'] === undefined && text.includes(QUESTION)) {
    marks['question-shown'] = at;
    appendFileSync(liveFile, `question-shown ${at}\n`);
  }
  for (const match of text.matchAll(/❯ ctx-(\d+)/g)) {
    const index = Number(match[1]);
    if (index !== lastIndex) cursorFrames.push({ at, index });
    lastIndex = index;
  }
  return realWrite(chunk, ...rest);
}) as typeof process.stdout.write;

// The real adapter, with each probe's call and answer timestamped.
const probes: { context: string; calledAt: number; doneAt?: number; kind?: string; elapsedMs?: number }[] = [];
const real = createKubePort();
let answered = 0;
let allAnswered: () => void = () => {};
const allDone = new Promise<void>((resolve) => (allAnswered = resolve));
let contextCount = Infinity;
const kube: KubePort = {
  listContexts: async (source) => {
    const contexts = await real.listContexts(source);
    contextCount = contexts.length;
    mark('contexts-listed');
    return contexts;
  },
  probe: (source, context, timeoutMs) => {
    const entry: (typeof probes)[number] = { context, calledAt: now() };
    probes.push(entry);
    return real.probe(source, context, timeoutMs).then((result: ProbeResult) => {
      entry.doneAt = now();
      entry.kind = result.ok ? 'ok' : result.kind;
      entry.elapsedMs = result.elapsedMs;
      if (++answered === contextCount) allAnswered();
      return result;
    });
  },
  cluster: (source, context) => real.cluster(source, context),
};

const start: StartFlow = async (_command, io) => {
  // chooseContext reads only deps.kube and deps.probeTimeoutMs.
  const deps = { kube, probeTimeoutMs } as unknown as Ports;
  mark('flow-start');
  chooseContext({ kubeconfig }, undefined, deps, io).catch(() => undefined); // abandoned at exit
  await allDone;
  mark('probes-done');
  // Let the last hints reach the screen before leaving.
  await new Promise((resolve) => setTimeout(resolve, 150));
  return { exitCode: ExitCode.ok, headline: `${probes.length} contexts probed`, details: [], ledger: [] };
};

mark('tui-start');
const exitCode = await runTui({ menu: [], initialCommand: 'install', run: start, version: 'bench' });
mark('tui-done');
const status = readFileSync('/proc/self/status', 'utf8');
const vmHWMkB = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN);
writeFileSync(`${outFile}.tmp`, JSON.stringify({ exitCode, marks, probes, cursorFrames, vmHWMkB, probeTimeoutMs: probeTimeoutMs ?? null }));
renameSync(`${outFile}.tmp`, outFile);
process.exit(0);
