/**
 * One command-line option, declared once: the CLI builds its parser and --help from it, flows build
 * their questions from it, validation reads its rules from it, and README's tables list it.
 */
export interface OptionSpec<V> {
  /** e.g. "--kas-address". */
  flag: string;
  /** e.g. "-n". */
  short?: string;
  /** "<url>" for a required value, "[kind]" for an optional one; absent for a switch. */
  arg?: string;
  /** A switch that turns a default-on behaviour off: the value is false when given (--no-create-namespace). */
  negates?: boolean;
  /** May be given several times; the value is the list. */
  repeatable?: boolean;
  /** One line for --help and README. */
  help: string;
  /** The default as text (parsed like a given value); for --help too. */
  default?: string;
  /** What --help and README say when the default is computed rather than fixed. */
  defaultHelp?: string;
  /** Environment variables that answer it when the flag is absent, in order. */
  env?: readonly string[];
  /** Turns the raw text into the value; throws nothing, returns NaN/undefined-like values that `problem` rejects. */
  parse?: (raw: string) => V;
  /**
   * Why a value is wrong (with its own fix when the fix depends on the value), or undefined when it is
   * fine. Pure: runs before any network call. A repeatable option's rule sees one item at a time.
   */
  problem?: (value: V extends readonly (infer I)[] ? I : V) => string | Problem | undefined;
  /** How to fix a wrong value, appended to the error line. */
  fix?: string;
  /** Options that cannot be combined with this one. */
  conflicts?: readonly string[];
  /** The question a flow asks when the option was not given. */
  ask?: { message: string; help?: string; placeholder?: string };
  /** Left out of --help (e.g. test hooks). */
  hidden?: boolean;
}

export interface Problem {
  message: string;
  fix: string;
}

/** The question id a flow uses for an option: its flag without the dashes, e.g. "image-tag". */
export function questionId(spec: Pick<OptionSpec<unknown>, 'flag'>): string {
  return spec.flag.slice(2);
}
