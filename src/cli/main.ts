import { CommanderError } from 'commander';
import type { CommandSpec } from '../core/commands/command.js';
import { COMMANDS, findCommand, MENU, type RunCommand } from '../core/commands/registry.js';
import { ExitCode, UsageError } from '../core/kernel/errors.js';
import type { FlowIO } from '../core/kernel/io.js';
import { withObviousAnswers } from '../core/kernel/obvious-answer.js';
import type { Asker } from '../core/kernel/questions.js';
import { toOutcome } from '../core/kernel/to-outcome.js';
import { optionValues, validateOptions, type RawOptions } from '../core/options/catalogue.js';
import type { OptionValues } from '../core/options/values.js';
import type { Ports } from '../core/ports/index.js';
import { FlagAsker } from '../ui/flags/flag-asker.js';
import { writeJson } from '../ui/json/json-writer.js';
import { LinePrinter } from '../ui/lines/line-printer.js';
import { didYouMean } from './did-you-mean.js';
import { chooseMode, wantsColor } from './mode.js';
import { buildProgram, type Globals, type Invocation } from './program.js';
import { abortOnSignals } from './signals.js';
import { demoPorts, realPorts } from './wire.js';

declare const __VERSION__: string;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

export interface Streams {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

type Values = Partial<OptionValues>;

/**
 * Runs any command of the registry with the adapters loaded on first use. A command started from the
 * menu gets its options' defaults; one named on the command line gets what was typed. (Exported for the
 * component tests, which run the real commands over the demo world through it.)
 */
export function commandRunner(portsFor: () => Promise<Ports>, given?: { command: CommandSpec; values: Values }): RunCommand {
  return async (id, io) => {
    const spec = findCommand(id);
    if (!spec) return { exitCode: ExitCode.usage, headline: `unknown command "${id}"`, details: [], ledger: [] };
    if (spec.unavailable) return spec.run({} as never, undefined as never, io);
    const values = given?.command === spec ? given.values : optionValues(spec.options, {});
    try {
      // A question with one real answer is said as a fact instead, in the TUI and in plain mode alike.
      return await spec.run(values as never, await portsFor(), withObviousAnswers(io));
    } catch (err) {
      // A flow maps its own errors; anything that still escapes gets the same mapping.
      return toOutcome(err, []);
    }
  };
}

async function runLines(
  run: RunCommand,
  asker: Asker,
  globals: Globals,
  s: Streams,
  command: CommandSpec | undefined,
  json: boolean,
): Promise<number> {
  const printer = new LinePrinter(s.stderr, s.stdout, wantsColor(process.env, !globals.color, s.stderr.isTTY === true));
  const controller = new AbortController();
  const release = abortOnSignals(controller, s.stderr);
  try {
    if (globals.demo) s.stderr.write('SIMULATION — no cluster or GitLab is touched\n');
    let chosen = command?.id;
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
      chosen = pick;
    }
    const io: FlowIO = { asker, emit: printer.onEvent, signal: controller.signal };
    const outcome = await run(chosen, io).catch((err: unknown) => toOutcome(err, [], controller.signal.aborted));
    if (json) writeJson(s.stdout, outcome);
    else printer.printOutcome(outcome);
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

async function dispatch(inv: Extract<Invocation, { kind: 'menu' | 'command' }>, values: Values, s: Streams): Promise<number> {
  const g = inv.globals;
  const json = values.output === 'json';
  const mode = chooseMode({
    stdinTTY: s.stdin.isTTY === true,
    stdoutTTY: s.stdout.isTTY === true && !json,
    term: process.env.TERM,
    plain: g.plain,
    yes: g.yes,
  });
  if (!wantsColor(process.env, !g.color, s.stdout.isTTY === true)) process.env.FORCE_COLOR = '0';
  const portsFor = g.demo ? demoPorts : () => realPorts(process.env);
  const command = inv.kind === 'command' ? inv.command : undefined;
  const run = commandRunner(portsFor, command ? { command, values } : undefined);

  if (mode === 'tui') {
    const { runTui } = await withoutFetch(() => import('../ui/tui/run.js'));
    return runTui({ menu: MENU, initialCommand: command?.id, run, simulated: g.demo, version: VERSION, stdout: s.stdout, stdin: s.stdin });
  }
  if (mode === 'plain') {
    const { InquirerAsker } = await import('../ui/plain/inquirer-asker.js');
    return runLines(run, new InquirerAsker(undefined, json ? s.stderr : undefined), g, s, command, json);
  }
  if (!command) {
    s.stderr.write(
      'gitlab-agent-tui: no command given and no terminal to show the menu (usage: gitlab-agent-tui install --yes …; see --help)\n',
    );
    return ExitCode.usage;
  }
  const why = g.yes ? '--yes was given' : 'no terminal to ask on';
  return runLines(run, new FlagAsker(why, g.yes), g, s, command, json);
}

/** Parses argv, picks the front end (TUI, plain, or flags) and runs the command; returns the exit code. */
export async function main(argv: string[], s: Streams): Promise<number> {
  let invocation: Invocation | undefined;
  const program = buildProgram(VERSION, (inv) => (invocation = inv));
  const quiet = { writeOut: (t: string) => s.stdout.write(t), writeErr: (t: string) => s.stderr.write(t), outputError: () => undefined };
  for (const cmd of [program, ...program.commands]) cmd.exitOverride().configureOutput(quiet);
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
  if (invocation.kind === 'helped') return ExitCode.ok;
  if (invocation.kind === 'unknown') {
    const known = COMMANDS.flatMap((c) => [c.id, ...c.aliases]);
    const similar = didYouMean(invocation.word, [...known, 'help']);
    const hint =
      similar.length > 0
        ? `\n\nThe most similar command${similar.length > 1 ? 's are' : ' is'}\n${similar.map((w) => `\t${w}`).join('\n')}`
        : '';
    s.stderr.write(`gitlab-agent-tui: '${invocation.word}' is not a gitlab-agent-tui command. See 'gitlab-agent-tui --help'.${hint}\n`);
    return ExitCode.usage;
  }
  let values: Values = {};
  if (invocation.kind === 'command') {
    // Bad input fails before any adapter loads: exit 2, one line, nothing created.
    try {
      values = parsed(invocation.command, invocation.raw);
    } catch (err) {
      if (err instanceof UsageError) {
        s.stderr.write(`gitlab-agent-tui: ${err.line()}\n`);
        return ExitCode.usage;
      }
      throw err;
    }
  }
  return dispatch(invocation, values, s);
}

function parsed(command: CommandSpec, raw: RawOptions): Values {
  const values = optionValues(command.options, raw);
  validateOptions(command.options, values);
  return values;
}
