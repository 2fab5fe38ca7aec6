import { Command, Option } from 'commander';
import type { CommandSpec } from '../core/commands/command.js';
import { COMMANDS } from '../core/commands/registry.js';
import { optionSpec, type RawOptions } from '../core/options/catalogue.js';
import type { OptionId } from '../core/options/values.js';
import { ENV_HELP, EXIT_CODES_HELP } from './help-text.js';

export interface Globals {
  plain: boolean;
  yes: boolean;
  color: boolean;
  demo: boolean;
}

/** What the user asked for: the menu, or one command with its options as typed (not yet parsed). */
export type Invocation =
  | { kind: 'menu'; globals: Globals }
  | { kind: 'command'; command: CommandSpec; globals: Globals; raw: RawOptions }
  /** A word that is no command (`gitlab-agent-tui instal`): answered like git, with what it may have meant. */
  | { kind: 'unknown'; word: string }
  /** `gitlab-agent-tui help [command]`: help was printed. */
  | { kind: 'helped' };

const collect = (value: string, previous: string[] = []) => [...previous, value];

function globalsOf(cmd: Command): Globals {
  const o = cmd.optsWithGlobals<{ plain?: boolean; yes?: boolean; color?: boolean; demo?: boolean }>();
  return { plain: o.plain ?? false, yes: o.yes ?? false, color: o.color !== false, demo: o.demo ?? false };
}

/** The commander option for a catalogue entry; its attribute name is where commander puts the value. */
function commanderOption(id: OptionId, help?: string): Option {
  const spec = optionSpec(id);
  const flags = `${spec.short ? `${spec.short}, ` : ''}${spec.flag}${spec.arg ? ` ${spec.arg}` : ''}`;
  const option = new Option(flags, help ?? spec.help);
  if (spec.repeatable) option.argParser(collect);
  else if (spec.default !== undefined) option.default(spec.default);
  if (spec.hidden) option.hideHelp();
  return option;
}

/**
 * What commander read, by option id. Commander names `--no-x` options "x"; a string means a value
 * was given (as for `--no-proxy <hosts>`), and a switch that was typed is `true` whatever its name.
 */
function rawOptionsOf(cmd: Command, ids: readonly OptionId[], options: Map<OptionId, Option>): RawOptions {
  const o = cmd.opts<Record<string, unknown>>();
  const raw: RawOptions = {};
  for (const id of ids) {
    const attribute = options.get(id)!.attributeName();
    // Only what was typed counts: defaults (commander's `true` for `--no-x`, a default value) are the catalogue's to apply.
    if (cmd.getOptionValueSource(attribute) !== 'cli') continue;
    const value = o[attribute];
    if (optionSpec(id).arg === undefined) raw[id] = true;
    else if (typeof value === 'string' || Array.isArray(value)) raw[id] = value as string | string[];
    else raw[id] = true; // an optional value left out: `--create-config`
  }
  return raw;
}

/** Builds the command tree from the command registry and the option catalogue. Help text is the contract. */
export function buildProgram(version: string, onInvoke: (inv: Invocation) => void): Command {
  const program = new Command('gitlab-agent-tui')
    .description(
      'Install and look after the GitLab agent for Kubernetes (agentk) from your terminal.\nWithout a command on a terminal it opens the main menu.',
    )
    .version(version, '-V, --version')
    .option('--plain', 'ask line by line instead of the full-screen interface (also when TERM=dumb)')
    .option('-y, --yes', 'never ask: take defaults, and fail (exit 2) naming the flag for anything required')
    .option('--no-color', 'no colours (NO_COLOR is honoured too)')
    .addOption(new Option('--demo', 'run against an embedded simulated cluster and GitLab').hideHelp())
    .showHelpAfterError(false)
    .addHelpText('after', `\n${ENV_HELP}\n\n${EXIT_CODES_HELP}`)
    // Words that are no command reach this action (commander would call them excess arguments).
    .argument('[command...]')
    .usage('[options] [command]')
    .action((words: string[], _opts, cmd: Command) => {
      const [word, topic] = words;
      if (word === undefined) return onInvoke({ kind: 'menu', globals: globalsOf(cmd) });
      if (word === 'help') {
        const sub = topic === undefined ? undefined : program.commands.find((c) => c.name() === topic || c.aliases().includes(topic));
        if (topic !== undefined && !sub) return onInvoke({ kind: 'unknown', word: topic });
        (sub ?? program).outputHelp();
        return onInvoke({ kind: 'helped' });
      }
      onInvoke({ kind: 'unknown', word });
    });

  for (const spec of COMMANDS) {
    const sub = program
      .command(spec.id)
      .aliases([...spec.aliases])
      .description(spec.unavailable ? `${spec.description} (not available in this version yet)` : spec.description);
    const options = new Map<OptionId, Option>();
    for (const id of spec.options) {
      const option = commanderOption(id, spec.optionHelp?.[id]);
      options.set(id, option);
      sub.addOption(option);
    }
    const examples = spec.examples?.length ? `\nExamples:\n${spec.examples.map((e) => `  ${e}`).join('\n')}\n` : '';
    sub.addHelpText('after', `${examples}\n${EXIT_CODES_HELP}`);
    sub.action((_opts, cmd: Command) =>
      onInvoke({ kind: 'command', command: spec, globals: globalsOf(cmd), raw: rawOptionsOf(cmd, spec.options, options) }),
    );
  }
  return program;
}
