import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/core/kernel/errors.js';
import type { RunCommand as StartFlow } from '../../src/core/commands/registry.js';
import { runTui } from '../../src/ui/tui/run.js';
import { KEY, sleep, stripAnsi } from './helpers.js';
import { MENU } from './scripted-flow.js';

/** A terminal-like stdout: isTTY with a size, collecting everything written. */
class TtyOut extends Writable {
  readonly isTTY = true;
  readonly columns = 100;
  readonly rows = 30;
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** A raw-mode-capable stdin that Ink reads via 'readable' + read(), like ink-testing-library's. */
class TtyIn extends EventEmitter {
  readonly isTTY = true;
  rawMode = false;
  private pending: string | null = null;
  write(data: string): void {
    this.pending = data;
    this.emit('readable');
  }
  read(): string | null {
    const data = this.pending;
    this.pending = null;
    return data;
  }
  setRawMode(mode: boolean): void {
    this.rawMode = mode;
  }
  setEncoding(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

// The fakes implement what Ink uses of a TTY stream, not the whole tty.WriteStream/ReadStream API.
const asStreams = (out: TtyOut, input: TtyIn) => ({
  stdout: out as unknown as NodeJS.WriteStream,
  stdin: input as unknown as NodeJS.ReadStream,
});

describe('runTui', () => {
  it('resolves with the outcome exit code and leaves the final frame on screen (interactive even with CI=true)', async () => {
    const previousCi = process.env.CI;
    process.env.CI = 'true';
    try {
      const out = new TtyOut();
      const input = new TtyIn();
      const start: StartFlow = async (_command, { emit }) => {
        emit({ type: 'step', step: 's', title: 'Check the cluster', status: 'done' });
        await sleep(20);
        return { exitCode: ExitCode.failure, headline: 'The cluster said no', details: ['try again'], ledger: [] };
      };
      const code = await runTui({ menu: MENU, initialCommand: 'status', run: start, version: '9.9.9', ...asStreams(out, input) });
      expect(code).toBe(ExitCode.failure);
      const screen = stripAnsi(out.text);
      expect(screen).toContain('✓ Check the cluster');
      expect(screen).toContain('gitlab-agent-tui 9.9.9 · Status');
      expect(screen).toContain('The cluster said no');
      expect(input.rawMode).toBe(false);
    } finally {
      if (previousCi === undefined) delete process.env.CI;
      else process.env.CI = previousCi;
    }
  });

  it('turns Ctrl-C on the real stdin into an abort and exit 130', async () => {
    const out = new TtyOut();
    const input = new TtyIn();
    let aborted = false;
    const start: StartFlow = async (_command, { signal, emit }) => {
      emit({ type: 'step', step: 'wait', title: 'Waiting', status: 'running' });
      await new Promise((resolve) => signal.addEventListener('abort', resolve));
      aborted = true;
      return { exitCode: ExitCode.cancelled, headline: 'Stopped', details: [], ledger: [] };
    };
    const running = runTui({ menu: MENU, initialCommand: 'status', run: start, ...asStreams(out, input) });
    const deadline = Date.now() + 5000;
    while (!stripAnsi(out.text).includes('Waiting') && Date.now() < deadline) await sleep(5);
    await sleep(20);
    input.write(KEY.ctrlC);
    expect(await running).toBe(ExitCode.cancelled);
    expect(aborted).toBe(true);
    expect(stripAnsi(out.text)).toContain('Stopped');
  });
});
