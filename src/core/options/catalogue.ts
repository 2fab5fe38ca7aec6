import { UsageError } from '../kernel/errors.js';
import { advancedOptions } from './advanced.js';
import { deliveryOptions } from './delivery.js';
import { helmOptions } from './helm.js';
import { lifecycleOptions } from './lifecycle.js';
import type { OptionSpec } from './option.js';
import { runOptions } from './run.js';
import { settingsOptions } from './settings.js';
import { targetOptions } from './target.js';
import type { OptionId, OptionValues } from './values.js';

type Catalogue = { [K in OptionId]-?: OptionSpec<NonNullable<OptionValues[K]>> };

/** Every option of every command, declared once (see OptionSpec). */
export const OPTIONS: Catalogue = {
  ...targetOptions,
  ...settingsOptions,
  ...advancedOptions,
  ...helmOptions,
  ...deliveryOptions,
  ...runOptions,
  ...lifecycleOptions,
};

export function optionSpec(id: OptionId): OptionSpec<unknown> {
  return OPTIONS[id] as OptionSpec<unknown>;
}

/** A usage error about one option: exit 2, the flag named, the option's fix unless another is given. */
export function optionError(id: OptionId, message: string, fix?: string): UsageError {
  const spec = optionSpec(id);
  return new UsageError(spec.flag, message, fix ?? spec.fix);
}

/** What a front end read from argv: the raw text (a list when repeatable), true for a given switch. */
export type RawOptions = Partial<Record<OptionId, string | string[] | boolean>>;

/**
 * The typed values of `ids`: each given one parsed, each absent one at its default (a list option
 * at [], a switch at false, a negating switch and a valueless option at undefined).
 */
export function optionValues<K extends OptionId>(ids: readonly K[], raw: RawOptions): Pick<OptionValues, K> {
  const out: Record<string, unknown> = {};
  for (const id of ids) {
    const spec = optionSpec(id);
    const given = raw[id];
    const parse = (text: string) => (spec.parse ? spec.parse(text) : text);
    if (spec.repeatable) out[id] = Array.isArray(given) ? given.map(parse) : given === undefined ? [] : [parse(String(given))];
    else if (spec.arg === undefined) out[id] = spec.negates ? (given === true ? false : undefined) : given === true;
    else if (typeof given === 'string') out[id] = parse(given);
    else if (given === true)
      out[id] = parse(''); // an optional value left out
    else out[id] = spec.default !== undefined ? parse(spec.default) : undefined;
  }
  return out as Pick<OptionValues, K>;
}

/**
 * Pure checks of everything given, run before any network call, so bad input fails in
 * milliseconds with the flag named and nothing created.
 */
export function validateOptions(ids: readonly OptionId[], values: Partial<OptionValues>): void {
  for (const id of ids) {
    const spec = optionSpec(id);
    const value = values[id];
    if (value === undefined || !spec.problem) continue;
    for (const item of spec.repeatable && Array.isArray(value) ? value : [value]) {
      const problem = spec.problem(item as never);
      if (problem === undefined) continue;
      throw typeof problem === 'string' ? optionError(id, problem) : optionError(id, problem.message, problem.fix);
    }
  }
  for (const id of ids) {
    for (const other of (optionSpec(id).conflicts ?? []) as OptionId[]) {
      if (isGiven(values[id]) && isGiven(values[other])) {
        throw optionError(id, `${optionSpec(id).flag} and ${optionSpec(other).flag} exclude each other`, 'pass one of them');
      }
    }
  }
}

function isGiven(value: unknown): boolean {
  return value !== undefined && value !== false && !(Array.isArray(value) && value.length === 0);
}
