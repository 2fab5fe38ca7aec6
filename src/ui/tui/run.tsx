import { appendFileSync } from 'node:fs';
import { render } from 'ink';
import { ExitCode } from '../../core/kernel/errors.js';
import type { CommandId, MenuEntry, RunCommand } from '../../core/commands/registry.js';
import { App } from './App.js';

export interface RunTuiOptions {
  menu: readonly MenuEntry[];
  /** Skip the menu and run this command (e.g. `gitlab-agent-tui install`). */
  initialCommand?: CommandId;
  run: RunCommand;
  /** Show the SIMULATION banner on every screen. */
  simulated?: boolean;
  /** Shown next to the name in the title line. */
  version?: string;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
}

/**
 * The Ink front end. Only called when stdin and stdout are TTYs; it renders and asks, and the
 * flow behind `start` does all the work. Resolves with the exit code once the final frame,
 * which stays on screen, has been written. Rejects only if rendering itself crashed.
 */
export async function runTui(options: RunTuiOptions): Promise<ExitCode> {
  // A crash before any outcome (error boundary) rejects waitUntilExit instead of landing here.
  let exitCode: ExitCode = ExitCode.failure;
  // Start-up bench only (bench/README.md): GLAT_BENCH_FIRST_FRAME=<file> gets the epoch ms of the first frame; unset, no hook.
  const benchFile = process.env.GLAT_BENCH_FIRST_FRAME;
  let benchMarked = false;
  const markFirstFrame = () => {
    if (!benchMarked && benchFile) appendFileSync(benchFile, `${performance.timeOrigin + performance.now()}\n`);
    benchMarked = true;
  };
  const instance = render(
    <App
      menu={options.menu}
      initialCommand={options.initialCommand}
      start={options.run}
      simulated={options.simulated}
      version={options.version}
      onExit={(code) => {
        exitCode = code;
      }}
    />,
    {
      stdout: options.stdout ?? process.stdout,
      stdin: options.stdin ?? process.stdin,
      // Ctrl-C aborts the flow (and helm) and shows what was left behind; Ink must not just unmount.
      exitOnCtrlC: false,
      // Nothing may print around Ink; flows report through events.
      patchConsole: false,
      // We get here only on a TTY; CI=true would otherwise make Ink print just the last frame at exit.
      interactive: true,
      // Spinners and elapsed counters change a few characters per frame: redraw only those lines.
      incrementalRendering: true,
      onRender: benchFile ? markFirstFrame : undefined,
    },
  );
  await instance.waitUntilExit();
  return exitCode;
}
