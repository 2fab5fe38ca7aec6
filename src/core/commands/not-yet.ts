import { ExitCode } from '../kernel/errors.js';
import { defineCommand, type CommandSpec } from './command.js';

/** A command the menu and CLI already list, whose flow is not built yet: it says so plainly (exit 1). */
export function notYet(spec: Pick<CommandSpec, 'id' | 'aliases' | 'label' | 'summary' | 'description'>): CommandSpec<never> {
  const reason = `${spec.label} is not available in this version yet.`;
  return defineCommand({
    ...spec,
    options: [],
    unavailable: reason,
    run: async () => ({ exitCode: ExitCode.failure, headline: reason, details: [], ledger: [] }),
  });
}
