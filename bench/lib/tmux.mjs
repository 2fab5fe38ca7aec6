// A private tmux server (own socket, no user config) to run programs on a real terminal emulator.
// Keys go through one long-lived control-mode client, so sending a key costs no process start.
import { spawn, spawnSync } from 'node:child_process';
import { shQuote } from './pty.mjs';
import { childEnv, nowMs, run } from './util.mjs';

export class Tmux {
  constructor(env = childEnv()) {
    this.socket = `glat-bench-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    // The server keeps the environment of the client that starts it: CI is already unset in childEnv().
    this.env = env;
    this.control = undefined;
    // Even if a bench dies half-way, its private server must not outlive it.
    this.onExit = () => spawnSync('tmux', ['-L', this.socket, 'kill-server'], { stdio: 'ignore' });
    process.once('exit', this.onExit);
  }

  cmd(...args) {
    return run('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { env: this.env, timeoutMs: 10_000 });
  }

  /** Starts `argv` (with extra env) in a new detached session of cols×rows; returns the session name. */
  async start(name, argv, { env = {}, cols = 120, rows = 50 } = {}) {
    // An idle session keeps the server alive between runs (it exits with its last session).
    if (!this.kept) {
      const keep = await this.cmd('new-session', '-d', '-s', 'keep', 'exec sleep 86400');
      if (keep.code !== 0) throw new Error(`tmux failed to start: ${keep.stderr}`);
      this.kept = true;
    }
    const assignments = Object.entries(env).map(([k, v]) => `${k}=${v}`);
    const command = `exec env ${[...assignments, ...argv].map(shQuote).join(' ')}`;
    const r = await this.cmd('new-session', '-d', '-s', name, '-x', String(cols), '-y', String(rows), command);
    if (r.code !== 0) throw new Error(`tmux new-session failed: ${r.stderr}`);
    return name;
  }

  /** Opens the control-mode client on `session` (no output notifications, does not resize it). */
  attachControl(session) {
    const child = spawn(
      'tmux',
      ['-L', this.socket, '-f', '/dev/null', '-C', 'attach-session', '-t', session, '-f', 'no-output,ignore-size'],
      {
        env: this.env,
        stdio: ['pipe', 'pipe', 'ignore'],
      },
    );
    child.stdout.resume();
    child.on('error', () => {});
    child.stdin.on('error', () => {}); // EPIPE once the session is gone
    // The client exits by itself when its session ends (the program under test finished).
    const closed = new Promise((resolve) => child.on('close', resolve));
    this.control = { child, session, closed };
  }

  /** Types one tmux key name (e.g. "Down") into the attached session; returns the epoch ms it was handed over. */
  sendKey(key) {
    if (!this.control) throw new Error('attachControl first');
    const at = nowMs();
    if (this.control.child.stdin.writable) this.control.child.stdin.write(`send-keys -t ${this.control.session} ${key}\n`);
    return at;
  }

  /** Closes the control client once it has handed over every queued command (killing it could drop the last one). */
  async detachControl() {
    if (!this.control) return;
    const { child, closed } = this.control;
    this.control = undefined;
    child.stdin.end();
    const timer = setTimeout(() => child.kill(), 2000);
    await closed;
    clearTimeout(timer);
  }

  async capture(session) {
    const r = await this.cmd('capture-pane', '-p', '-t', session);
    return r.stdout;
  }

  async hasSession(session) {
    return (await this.cmd('has-session', '-t', session)).code === 0;
  }

  async kill() {
    await this.detachControl();
    await this.cmd('kill-server');
    process.removeListener('exit', this.onExit);
  }
}
