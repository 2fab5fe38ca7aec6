import { optionSpec } from '../options/catalogue.js';
import type { OptionId, OptionValues } from '../options/values.js';
import { continuedCommand, packedCommand, shellQuote } from './shell.js';

/** The name a person types (README, --help). */
const PROGRAM = 'gitlab-agent-tui';

/** A duration as --timeout reads it back: whole minutes as "5m", else seconds (rounded up), else ms. */
function durationText(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/**
 * Option values as the flags that give them, in `order`, each with its value: what the CLI parser turns
 * back into the same values. A value at its catalogue default, an unset one and a switch that is off
 * are left out; a negating switch (--no-create-namespace) is written when its value is false.
 */
export function flagsOf(values: Partial<OptionValues>, order: readonly OptionId[]): string[][] {
  const groups: string[][] = [];
  for (const id of order) {
    const spec = optionSpec(id);
    const value: unknown = values[id];
    if (value === undefined) continue;
    if (spec.repeatable) {
      for (const item of value as unknown[]) groups.push([spec.flag, String(item)]);
      continue;
    }
    if (spec.arg === undefined) {
      if (spec.negates ? value === false : value === true) groups.push([spec.flag]);
      continue;
    }
    if (spec.default !== undefined && value === (spec.parse ? spec.parse(spec.default) : spec.default)) continue;
    groups.push([spec.flag, typeof value === 'number' ? durationText(value) : String(value)]);
  }
  return groups;
}

/** A command of this tool in both forms: one line (JSON, a next step) and continued, one flag a line (to copy from a terminal). */
export interface CommandLine {
  argv: string[];
  line: string;
  text: string;
  /** Packed into lines of at most `width` characters, continued. */
  packed(width: number, indent?: string): string[];
}

export function commandLine(words: readonly string[], groups: readonly (readonly string[])[]): CommandLine {
  const argv = [...words, ...groups.flat()];
  return {
    argv,
    line: [PROGRAM, ...argv].map(shellQuote).join(' '),
    text: continuedCommand([PROGRAM, ...words], groups),
    packed: (width, indent) => packedCommand([PROGRAM, ...words], groups, width, indent),
  };
}
