import { constants } from 'node:os';
import type { Options } from 'execa';
import { CancelledError } from '../../core/kernel/errors.js';
import type { HelmRun, HelmRunResult, HelmStream } from '../../core/ports/helm.js';
import { baseOptions, loadExeca, spawnFailure } from './launch.js';
import { LineSplitter } from './line-splitter.js';
import { LineTail } from './line-tail.js';
import { awaitGroupGone } from './process-group.js';
import type { HelmProcessOptions } from './process-options.js';

/** How many stderr lines the error message gets. */
const STDERR_TAIL_LINES = 20;

/**
 * Runs helm, streaming stdout and stderr line by line in arrival order. On abort, helm's whole
 * process group gets SIGTERM, then SIGKILL after killGraceMs; this settles only once helm and
 * its descendants are gone, then rejects with CancelledError.
 */
export async function runHelm(proc: HelmProcessOptions, run: HelmRun): Promise<HelmRunResult> {
  const { args, stdin, onLine, signal } = run;
  if (signal.aborted) throw new CancelledError();
  const { execa } = await loadExeca();
  if (signal.aborted) throw new CancelledError();

  let killAt = Number.POSITIVE_INFINITY;
  const markAbort = () => {
    killAt = Date.now() + proc.killGraceMs;
  };
  signal.addEventListener('abort', markAbort, { once: true });

  const options: Options = {
    ...baseOptions(proc),
    // stdin goes through a pipe, never argv, and is not part of result.command.
    ...(stdin === undefined ? { stdin: 'ignore' } : { input: stdin }),
    buffer: false, // we consume the streams ourselves; nothing accumulates
    cancelSignal: signal,
  };
  const child = execa(proc.binary, args, options);

  const tail = new LineTail(STDERR_TAIL_LINES);
  let callbackError: { error: unknown } | undefined;
  const lineSink = (stream: HelmStream) => (line: string) => {
    if (stream === 'stderr') tail.push(line);
    if (callbackError) return;
    try {
      onLine(line, stream);
    } catch (error) {
      // A throwing consumer must not crash us from inside a stream event; stop helm, rethrow later.
      callbackError = { error };
      child.kill();
    }
  };
  const splitters = [attach(child.stdout, lineSink('stdout')), attach(child.stderr, lineSink('stderr'))];

  try {
    const result = await child;
    for (const splitter of splitters) splitter?.end();

    if (result.isCanceled) {
      if (child.pid !== undefined) await awaitGroupGone(child.pid, killAt);
      throw new CancelledError();
    }
    if (callbackError) throw callbackError.error;
    const notStarted = spawnFailure(proc, result);
    if (notStarted) throw notStarted;
    return { exitCode: exitCodeOf(result.exitCode, result.signal), stderrTail: tail.snapshot() };
  } finally {
    signal.removeEventListener('abort', markAbort);
  }
}

/** Feeds a child stream into a LineSplitter; the stream is absent only if spawning failed. */
function attach(stream: NodeJS.ReadableStream | null, sink: (line: string) => void): LineSplitter | undefined {
  if (!stream) return undefined;
  const splitter = new LineSplitter(sink);
  stream.on('data', (chunk: Buffer | string) => {
    splitter.push(chunk);
    // One pipe read can hold thousands of lines: let key presses and frames in before the next one.
    stream.pause();
    setImmediate(() => stream.resume());
  });
  stream.on('end', () => splitter.end());
  return splitter;
}

/** Shell convention for a helm killed by someone else's signal (OOM killer: 137). */
function exitCodeOf(exitCode: number | undefined, signal: string | undefined): number {
  if (exitCode !== undefined) return exitCode;
  const number = signal === undefined ? undefined : constants.signals[signal as NodeJS.Signals];
  return number === undefined ? 1 : 128 + number;
}
