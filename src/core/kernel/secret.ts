import { inspect } from 'node:util';

/**
 * A token that must never reach argv, logs, files or the screen.
 * Every accidental way to turn it into text yields a mask; only reveal() gives the value.
 */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  get length(): number {
    return this.#value.length;
  }
  toString(): string {
    return '********';
  }
  toJSON(): string {
    return '********';
  }
  [inspect.custom](): string {
    return 'Secret(********)';
  }
}
