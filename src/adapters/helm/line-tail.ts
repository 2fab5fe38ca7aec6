/** Longest line kept in the tail: error messages need the gist, not a 1 MiB manifest dump. */
const MAX_TAIL_LINE_CHARS = 4096;

/** Keeps only the last `size` lines, so memory stays flat however much helm prints. */
export class LineTail {
  private readonly lines: string[] = [];

  constructor(private readonly size: number) {}

  push(line: string): void {
    this.lines.push(line.length > MAX_TAIL_LINE_CHARS ? `${line.slice(0, MAX_TAIL_LINE_CHARS)}…` : line);
    if (this.lines.length > this.size) this.lines.shift();
  }

  snapshot(): string[] {
    return [...this.lines];
  }
}
