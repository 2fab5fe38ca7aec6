/**
 * Fixed-capacity ring buffer: keeps the newest `capacity` items and counts everything pushed.
 * Memory stays constant however much helm prints.
 */
export class LineRing<T> {
  readonly #slots: (T | undefined)[];
  #next = 0;
  #size = 0;
  #total = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.#slots = new Array<T | undefined>(capacity);
  }

  push(item: T): void {
    this.#slots[this.#next] = item;
    this.#next = (this.#next + 1) % this.capacity;
    this.#size = Math.min(this.#size + 1, this.capacity);
    this.#total += 1;
  }

  /** Everything ever pushed, including what has been overwritten. */
  get total(): number {
    return this.#total;
  }

  get size(): number {
    return this.#size;
  }

  /** Oldest first; at most the last `n` items when given. */
  toArray(n = this.#size): T[] {
    const count = Math.max(0, Math.min(n, this.#size));
    const out: T[] = [];
    for (let i = count; i > 0; i--) {
      const slot = (this.#next - i + this.capacity) % this.capacity;
      out.push(this.#slots[slot] as T); // slots within #size were written
    }
    return out;
  }
}
