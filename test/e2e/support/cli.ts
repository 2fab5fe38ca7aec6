import { spawn } from 'node:child_process';
import { e2eEnv } from './env.js';
import type { Sandbox } from './sandbox.js';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  pid: number;
}

export interface CliOptions {
  /** Added to the sandbox environment (e.g. GITLAB_TOKEN). */
  env?: Record<string, string>;
  /** Hard limit; the CLI's process group is killed and the test fails with its output. */
  timeoutMs?: number;
  /**
   * Called with all stderr so far after each chunk; `signalGroup` sends a signal to the CLI's process
   * group, as a terminal's Ctrl-C does (SIGINT to the CLI and the helm it runs).
   */
  onStderr?: (stderr: string, signalGroup: (signal: NodeJS.Signals) => void) => void;
}

/**
 * Runs the built CLI (`node bin/gitlab-agent-tui.js …`, from the global setup's snapshot) in the
 * sandbox: stdin is /dev/null (so not a terminal), stdout and stderr are captured separately.
 */
export function runCli(sb: Sandbox, args: string[], options: CliOptions = {}): Promise<CliResult> {
  const { appBin } = e2eEnv();
  const timeoutMs = options.timeoutMs ?? 150_000;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    // Own process group, so a timeout can end the CLI and the helm it started (and nothing else).
    const child = spawn(process.execPath, [appBin, ...args], {
      cwd: sb.cwd,
      env: { ...sb.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-(child.pid ?? 0), signal);
      } catch {
        /* already gone */
      }
    };
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      options.onStderr?.(stderr, signalGroup);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      const group = -(child.pid ?? 0);
      try {
        process.kill(group, 'SIGTERM');
        setTimeout(() => {
          try {
            process.kill(group, 'SIGKILL');
          } catch {
            /* already gone */
          }
        }, 5000).unref();
      } catch {
        /* already gone */
      }
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) {
        reject(
          new Error(
            `gitlab-agent-tui ${args.join(' ')} did not finish within ${timeoutMs} ms\n--- stdout\n${stdout}\n--- stderr\n${stderr}`,
          ),
        );
        return;
      }
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started, pid: child.pid ?? 0 });
    });
  });
}

/** stdout + stderr for a failure message. */
export function transcript(r: CliResult): string {
  return `exit ${r.code}${r.signal ? ` (${r.signal})` : ''} after ${r.ms} ms\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}

/** Non-empty lines. */
export function linesOf(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '');
}
