// Runs a shell command with this terminal as its stdio and writes {wallMs, code} to GLAT_BENCH_OUT:
// the `cat` side of the streaming bench (`helm … 2>&1 | cat` on the same tmux terminal as the TUI).
import { spawn } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';

const now = () => performance.timeOrigin + performance.now();
const started = now();
const child = spawn('/bin/sh', ['-c', process.argv[2]], { stdio: 'inherit' });
child.on('close', (code) => {
  const out = process.env.GLAT_BENCH_OUT;
  writeFileSync(`${out}.tmp`, JSON.stringify({ wallMs: now() - started, code, startedAt: started }));
  renameSync(`${out}.tmp`, out);
});
