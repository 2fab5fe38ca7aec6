import { join } from 'node:path';
import { exec } from './kube.js';
import type { Sandbox } from './sandbox.js';

const shQuote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/**
 * A program on a real terminal: a private tmux server (own socket in the sandbox, no user config)
 * with one session of cols×rows. The server is started with the sandbox environment plus `env`, so
 * secrets reach the program through its environment, never through a command line. After the program
 * ends, the shell prints EXIT=<code> and keeps the pane open for capturing.
 */
export class TmuxSession {
  private constructor(
    private readonly socket: string,
    private readonly env: Record<string, string>,
    readonly name: string,
  ) {}

  /**
   * `record`: a file that gets every byte the program writes to the terminal, raw (tmux pipe-pane),
   * from its first byte on: the program waits until the recording runs.
   */
  static async start(
    sb: Sandbox,
    argv: string[],
    options: { env?: Record<string, string>; cols?: number; rows?: number; name?: string; record?: string } = {},
  ): Promise<TmuxSession> {
    const name = options.name ?? 'e2e';
    const socket = join(sb.root, `tmux-${name}.sock`);
    const env = { ...sb.env, ...options.env };
    const session = new TmuxSession(socket, env, name);
    const ready = join(sb.root, `tmux-${name}.ready`);
    const wait = options.record ? `while [ ! -e ${shQuote(ready)} ]; do sleep 0.05; done; ` : '';
    // `env -u CI`: Ink prints only the last frame when it thinks it runs in CI.
    const command = `${wait}cd ${shQuote(sb.cwd)} && env -u CI ${argv.map(shQuote).join(' ')}; echo EXIT=$?; exec sleep 300`;
    await session.tmux(['new-session', '-d', '-s', name, '-x', String(options.cols ?? 120), '-y', String(options.rows ?? 40), command]);
    if (options.record) {
      await session.tmux(['pipe-pane', '-t', name, '-o', `cat >> ${shQuote(options.record)}`]);
      await exec('touch', [ready], env, 5_000);
    }
    return session;
  }

  /** The pane's title, as a program could set it with an OSC sequence. */
  async title(): Promise<string> {
    return (await this.tmux(['display-message', '-p', '-t', this.name, '#{pane_title}'])).trim();
  }

  private async tmux(args: string[]): Promise<string> {
    const r = await exec('tmux', ['-S', this.socket, '-f', '/dev/null', ...args], this.env, 10_000);
    if (r.code !== 0) throw new Error(`tmux ${args[0]} failed (${r.code}): ${r.stderr}`);
    return r.stdout;
  }

  /** What is on the screen now (no scrollback). */
  screen(): Promise<string> {
    return this.tmux(['capture-pane', '-p', '-t', this.name]);
  }

  /** Scrollback and screen, wrapped lines joined. */
  everything(): Promise<string> {
    return this.tmux(['capture-pane', '-p', '-J', '-S', '-', '-t', this.name]);
  }

  /** Lines that have scrolled off the top of the screen into tmux's scrollback (`#{history_size}`). */
  async historySize(): Promise<number> {
    return Number((await this.tmux(['display-message', '-p', '-t', this.name, '#{history_size}'])).trim());
  }

  /** tmux key names: Enter, Down, C-c, … */
  async keys(...keys: string[]): Promise<void> {
    await this.tmux(['send-keys', '-t', this.name, ...keys]);
  }

  /** Literal text. */
  async type(text: string): Promise<void> {
    await this.tmux(['send-keys', '-t', this.name, '-l', text]);
  }

  /**
   * Polls the screen (every 100 ms, at most `timeoutMs`) until `pattern` matches; returns the screen.
   * On timeout the error shows the last screen, so a failing wait says what was there instead.
   */
  async waitFor(pattern: RegExp, what: string, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      last = await this.screen().catch((e: Error) => `(capture failed: ${e.message})`);
      if (pattern.test(last)) return last;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${pattern})\n--- screen\n${last}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Waits for the EXIT=<code> line the shell prints after the program. */
  async exitCode(timeoutMs = 60_000): Promise<number> {
    const screen = await this.waitFor(/^EXIT=\d+$/m, 'the program to exit', timeoutMs);
    return Number(/^EXIT=(\d+)$/m.exec(screen)![1]);
  }

  async kill(): Promise<void> {
    await this.tmux(['kill-server']).catch(() => undefined);
  }
}
