/** Longest line kept in the tail: error messages need the gist, not a 1 MiB manifest dump. */
const MAX_TAIL_LINE_CHARS = 4096;

/** Keeps only the last `size` lines in a ring (O(1) per line), so memory stays flat however much helm prints. */
export class LineTail {
  private readonly lines: string[];
  private next = 0;
  private count = 0;

  constructor(private readonly size: number) {
    this.lines = new Array<string>(size);
  }

  push(line: string): void {
    this.lines[this.next] = line.length > MAX_TAIL_LINE_CHARS ? `${line.slice(0, MAX_TAIL_LINE_CHARS)}…` : line;
    this.next = (this.next + 1) % this.size;
    if (this.count < this.size) this.count += 1;
  }

  snapshot(): string[] {
    const out: string[] = [];
    for (let i = this.count; i > 0; i--) out.push(this.lines[(this.next - i + this.size) % this.size] as string);
    return out;
  }
}
