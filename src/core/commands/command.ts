import type { FlowIO } from '../kernel/io.js';
import type { FlowOutcome } from '../kernel/outcome.js';
import type { OptionId, OptionValues } from '../options/values.js';
import type { Ports } from '../ports/index.js';

/**
 * One command, declared once: the CLI parser, `--help`, the main menu and README's command table are
 * built from it. `run` loads its flow lazily, so `--help` and the menu stay fast.
 */
export interface CommandSpec<K extends OptionId = OptionId> {
  id: string;
  /** Other names the CLI accepts (e.g. "doctor" for troubleshoot). */
  aliases: readonly string[];
  /** The main menu's label, e.g. "Install". */
  label: string;
  /** One line: the menu's description and the CLI's command list. */
  summary: string;
  /** The top of `<command> --help`. */
  description: string;
  options: readonly K[];
  /**
   * `--help` wording for options whose catalogue text speaks of installing (`--namespace`: "namespace for the
   * agent"), where this command instead picks an existing install.
   */
  optionHelp?: Partial<Record<K, string>>;
  examples?: readonly string[];
  /** While a command is not built yet: the plain reason, and its flow is never started. */
  unavailable?: string;
  run(options: Pick<OptionValues, K>, ports: Ports, io: FlowIO): Promise<FlowOutcome>;
}

/** Defines a command with its option ids checked against the catalogue. */
export function defineCommand<K extends OptionId>(spec: CommandSpec<K>): CommandSpec<K> {
  return spec;
}
