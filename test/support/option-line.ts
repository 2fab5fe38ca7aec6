import { UsageError } from '../../src/core/kernel/errors.js';
import { validateOptions } from '../../src/core/options/catalogue.js';
import type { OptionId, OptionValues } from '../../src/core/options/values.js';

/** The one line a user gets for one bad option (undefined when it is accepted). */
export function lineFor(values: Partial<OptionValues>): string | undefined {
  try {
    validateOptions(Object.keys(values) as OptionId[], values);
    return undefined;
  } catch (err) {
    if (err instanceof UsageError) return err.line();
    throw err;
  }
}
