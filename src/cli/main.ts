import { CommanderError } from 'commander';
import { ExitCode } from '../core/errors.js';
import type { FlowIO, FlowOutcome, MenuEntry, StartFlow } from '../core/flow/outcome.js';
import type { Asker } from '../core/flow/questions.js';
import type { InstallDeps } from '../core/install/deps.js';
import { DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, type InstallOptions } from '../core/install/options.js';
import { parseDuration } from './duration.js';
import { LinePrinter } from '../ui/lines/line-printer.js';
import { FlagAsker } from '../ui/flags/flag-asker.js';
import { chooseMode, wantsColor } from './mode.js';
import { buildProgram, type Globals, type Invocation } from './program.js';
import { abortOnSignals } from './signals.js';
import { demoDeps, realDeps } from './wire.js';

declare const __VERSION__: string;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

export interface Streams {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

const MENU: MenuEntry[] = [
  { id: 'install', label: 'Install', description: 'Register an agent and install it with Helm' },
  { id: 'troubleshoot', label: 'Troubleshoot', description: 'Diagnose an installed agent', unavailable: 'Troubleshooting is not available in this version yet.' },
  { id: 'upgrade', label: 'Upgrade', description: 'Move an agent to another version', unavailable: 'Upgrade is not available in this version yet.' },
  { id: 'uninstall', label: 'Uninstall', description: 'Remove an agent', unavailable: 'Uninstall is not available in this version yet.' },
  { id: 'status', label: 'Status', description: 'Agents in a cluster and their connection', unavailable: 'Status is not available in this version yet.' },
];

/** Defaults for a menu-started install: everything asked. */
function interactiveInstallOptions(yes: boolean): InstallOptions {
  return { values: [], set: [], yes, dryRun: false, timeoutMs: parseDuration(DEFAULT_TIMEOUT), connectTimeoutMs: parseDuration(DEFAULT_CONNECT_TIMEOUT) };
}

function startFlowWith(depsFor: () => Promise<InstallDeps>, install: InstallOptions): StartFlow {
  return async (command, io) => {
    if (command !== 'install') {
      const entry = MENU.find((m) => m.id === command);
      return { exitCode: ExitCode.failure, headline: entry?.unavailable ?? `${command} is not available`, details: [], ledger: [] };
    }
    const [{ runInstall }, deps] = await Promise.all([import('../core/install/flow.js'), depsFor()]);
    return runInstall(install, deps, io);
  };
}

async function runLines(start: StartFlow, asker: Asker, globals: Globals, s: Streams, command: 'install' | undefined): Promise<number> {
  const printer = new LinePrinter(s.stderr, s.stdout, wantsColor(process.env, !globals.color, s.stderr.isTTY === true));
  const controller = new AbortController();
  const release = abortOnSignals(controller, s.stderr);
  try {
    if (globals.demo) s.stderr.write('SIMULATION — no cluster or GitLab is touched\n');
    let chosen = command;
    if (!chosen) {
      const pick = await asker.ask({
        kind: 'select',
        id: 'menu',
        message: 'What do you want to do?',
        choices: MENU.map((m) => ({ value: m.id, label: m.label, hint: m.unavailable ?? m.description })),
        default: 'install',
      });
      const entry = MENU.find((m) => m.id === pick);
      if (entry?.unavailable) {
        s.stderr.write(`${entry.unavailable}\n`);
        return ExitCode.failure;
      }
      chosen = 'install';
    }
    const io: FlowIO = { asker, emit: printer.onEvent, signal: controller.signal };
    const outcome: FlowOutcome = await start(chosen, io);
    printer.printOutcome(outcome);
    return outcome.exitCode;
  } finally {
    release();
  }
}

/**
 * yoga-layout (inside ink) fetch()es its own embedded data: URI whenever a global fetch exists, and that
 * first fetch loads undici: about 50 ms before the first frame. Without fetch it decodes the same bytes
 * synchronously. Nothing else runs yet; fetch is restored once the module has loaded.
 */
async function withoutFetch<T>(load: () => Promise<T>): Promise<T> {
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  Object.defineProperty(globalThis, 'fetch', { value: undefined, configurable: true, writable: true });
  try {
    return await load();
  } finally {
    if (saved) Object.defineProperty(globalThis, 'fetch', saved);
  }
}

async function dispatch(inv: Invocation, s: Streams): Promise<number> {
  const g = inv.globals;
  const mode = chooseMode({ stdinTTY: s.stdin.isTTY === true, stdoutTTY: s.stdout.isTTY === true, term: process.env.TERM, plain: g.plain, yes: g.yes });
  if (!wantsColor(process.env, !g.color, s.stdout.isTTY === true)) process.env.FORCE_COLOR = '0';
  const depsFor = g.demo ? demoDeps : () => realDeps(process.env);

  if (inv.kind === 'pending') {
    s.stderr.write(`gitlab-agent-tui ${inv.command}: not available in this version yet. Available now: install.\n`);
    return ExitCode.failure;
  }
  const install = inv.kind === 'install' ? inv.options : interactiveInstallOptions(g.yes);
  const start = startFlowWith(depsFor, install);
  const command = inv.kind === 'install' ? 'install' : undefined;

  if (mode === 'tui') {
    const { runTui } = await withoutFetch(() => import('../ui/tui/run.js'));
    return runTui({ menu: MENU, initialCommand: command, start, simulated: g.demo, version: VERSION, stdout: s.stdout, stdin: s.stdin });
  }
  if (mode === 'plain') {
    const { InquirerAsker } = await import('../ui/plain/inquirer-asker.js');
    return runLines(start, new InquirerAsker(), g, s, command);
  }
  if (!command) {
    s.stderr.write('gitlab-agent-tui: no command given and no terminal to show the menu (usage: gitlab-agent-tui install --yes …; see --help)\n');
    return ExitCode.usage;
  }
  const why = g.yes ? '--yes was given' : 'no terminal to ask on';
  return runLines(start, new FlagAsker(why), g, s, command);
}

/** Parses argv, picks the front end (TUI, plain, or flags) and runs the command; returns the exit code. */
export async function main(argv: string[], s: Streams): Promise<number> {
  let invocation: Invocation | undefined;
  const program = buildProgram(VERSION, (inv) => (invocation = inv));
  program.exitOverride();
  program.configureOutput({
    writeOut: (text) => s.stdout.write(text),
    writeErr: (text) => s.stderr.write(text),
    outputError: () => undefined,
  });
  for (const sub of program.commands) {
    sub.exitOverride();
    sub.configureOutput({ writeOut: (t) => s.stdout.write(t), writeErr: (t) => s.stderr.write(t), outputError: () => undefined });
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return ExitCode.ok;
      s.stderr.write(`gitlab-agent-tui: ${err.message.replace(/^error: /, '')} (see gitlab-agent-tui --help)\n`);
      return ExitCode.usage;
    }
    throw err;
  }
  if (!invocation) return ExitCode.usage;
  if (invocation.kind === 'install') {
    // Bad input fails before any adapter loads: exit 2, one line, nothing created.
    const { validateInstallOptions } = await import('../core/install/validate-options.js');
    try {
      validateInstallOptions(invocation.options);
    } catch (err) {
      const { UsageError } = await import('../core/errors.js');
      if (err instanceof UsageError) {
        s.stderr.write(`gitlab-agent-tui: ${err.line()}\n`);
        return ExitCode.usage;
      }
      throw err;
    }
  }
  return dispatch(invocation, s);
}
