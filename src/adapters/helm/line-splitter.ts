import { StringDecoder } from 'node:string_decoder';

/** A line longer than this is passed on in pieces, so one endless line cannot exhaust memory. */
const MAX_LINE_CHARS = 1024 * 1024;

/**
 * Turns a byte stream into lines: splits on \n, drops one trailing \r (CRLF and progress output),
 * decodes UTF-8 across chunk boundaries. Holds at most one partial line.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';
  private ended = false;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxLineChars = MAX_LINE_CHARS,
  ) {}

  push(chunk: Buffer | string): void {
    if (this.ended) return;
    this.consume(typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
  }

  /** Flushes the last line when the output did not end with \n. Safe to call twice. */
  end(): void {
    if (this.ended) return;
    this.consume(this.decoder.end());
    this.ended = true;
    if (this.partial !== '') this.emit(this.partial);
    this.partial = '';
  }

  private consume(text: string): void {
    let start = 0;
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
      const piece = text.slice(start, newline);
      this.emit(this.partial === '' ? piece : this.partial + piece);
      this.partial = '';
      start = newline + 1;
    }
    this.partial += text.slice(start);
    while (this.partial.length > this.maxLineChars) {
      this.onLine(this.partial.slice(0, this.maxLineChars));
      this.partial = this.partial.slice(this.maxLineChars);
    }
  }

  private emit(raw: string): void {
    let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    while (line.length > this.maxLineChars) {
      this.onLine(line.slice(0, this.maxLineChars));
      line = line.slice(this.maxLineChars);
    }
    this.onLine(line);
  }
}
