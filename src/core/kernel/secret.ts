import { inspect } from 'node:util';

/**
 * The values of every Secret made in this process, and their base64 forms (how they travel to the
 * Kubernetes API), so the one redactor at the output boundary can mask them wherever they turn up,
 * whatever library echoed them. Shorter values are no real token, and masking them would mangle words.
 */
const live = new Set<string>();
const MIN_SECRET_LENGTH = 8;

export function liveSecretValues(): ReadonlySet<string> {
  return live;
}

/**
 * A token that must never reach argv, logs, files or the screen.
 * Every accidental way to turn it into text yields a mask; only reveal() gives the value.
 */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
    if (value.length >= MIN_SECRET_LENGTH) {
      live.add(value);
      live.add(Buffer.from(value, 'utf8').toString('base64'));
    }
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
