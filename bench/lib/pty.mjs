// A pseudo-terminal without native modules: util-linux `script` runs the command on a fresh pty.
// Everything the program draws comes back on `output`; `write()` types into the terminal.
import { spawn } from 'node:child_process';
import { childEnv, nowMs } from './util.mjs';

/** POSIX single-quoting for /bin/sh. */
export const shQuote = (arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${String(arg).replace(/'/g, `'\\''`)}'`);

/**
 * Starts `argv` on a rows×cols pty (/bin/sh -c 'stty …; exec argv'; the same few ms for every variant).
 * Returns { startedAt, child, write(text), exited: Promise<{ at, code }>, output() } — output() is all bytes drawn so far.
 */
export function spawnOnPty(argv, { env = childEnv(), rows = 40, cols = 120, cwd } = {}) {
  const command = `stty rows ${rows} cols ${cols} 2>/dev/null; exec ${argv.map(shQuote).join(' ')}`;
  const startedAt = nowMs();
  const child = spawn('script', ['-qfe', '-E', 'never', '-c', command, '/dev/null'], {
    env: { ...env, SHELL: '/bin/sh' },
    cwd,
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const chunks = [];
  child.stdout.on('data', (d) => chunks.push(d));
  const exited = new Promise((resolve) => child.on('close', (code) => resolve({ at: nowMs(), code })));
  return {
    startedAt,
    child,
    exited,
    write: (text) => child.stdin.write(text),
    output: () => Buffer.concat(chunks).toString('utf8'),
    kill: () => {
      try {
        child.kill('SIGTERM');
      } catch {
        // already gone
      }
    },
  };
}
