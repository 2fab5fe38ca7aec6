import type { FlowIO } from '../kernel/io.js';
import { optionSpec } from '../options/catalogue.js';
import { questionId } from '../options/option.js';
import type { OptionId } from '../options/values.js';

/** The parts of a question that come from the option it answers: id, flag, and the catalogue's wording. */
export function aboutOption(id: OptionId): { id: string; flag: string; message: string; help?: string; placeholder?: string } {
  const spec = optionSpec(id);
  return {
    id: questionId(spec),
    flag: spec.flag,
    message: spec.ask?.message ?? spec.help,
    help: spec.ask?.help,
    placeholder: spec.ask?.placeholder,
  };
}

/** Asks for an option's text value (its flag answers it in flag mode), trimmed. */
export async function askOption(
  io: FlowIO,
  id: OptionId,
  def: string,
  validate?: (value: string) => string | undefined,
  wording: { message?: string; help?: string; problem?: string } = {},
): Promise<string> {
  const answer = await io.asker.ask({ kind: 'input', ...aboutOption(id), ...definedOnly(wording), default: def, validate });
  return answer.trim();
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
