import type { FlowIO } from '../kernel/io.js';
import type { FlowOutcome } from '../kernel/outcome.js';
import type { CommandSpec } from './command.js';
import { installCommand } from './install.js';
import { rotateTokenCommand } from './rotate-token.js';
import { statusCommand } from './status.js';
import { troubleshootCommand } from './troubleshoot.js';
import { uninstallCommand } from './uninstall.js';
import { upgradeCommand } from './upgrade.js';

/** Every command, in menu order. A new command is one file here and one line in this list. */
export const COMMANDS: readonly CommandSpec[] = [
  installCommand,
  troubleshootCommand,
  upgradeCommand,
  uninstallCommand,
  statusCommand,
  rotateTokenCommand,
] as readonly CommandSpec[];

export type CommandId = string;

export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.id === name || c.aliases.includes(name));
}

/** What a front end shows in the main menu. */
export interface MenuEntry {
  id: CommandId;
  label: string;
  description: string;
  /** undefined when available; otherwise the plain reason it is not. */
  unavailable?: string;
}

export const MENU: readonly MenuEntry[] = COMMANDS.map((c) => ({
  id: c.id,
  label: c.label,
  description: c.summary,
  unavailable: c.unavailable,
}));

/** Starts a command's flow; the CLI builds it with the adapters and options, front ends only call it. */
export type RunCommand = (command: CommandId, io: FlowIO) => Promise<FlowOutcome>;
