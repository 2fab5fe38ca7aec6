/** The head of an HTTP/1.1 answer as it came over the wire: the verbatim status line and the headers (lower-case names). */
export interface HttpHead {
  statusLine: string;
  status: number;
  headers: Record<string, string>;
}

/** Where the head ends (the blank line), or -1 while it has not all arrived. */
export function headEnd(buffer: string): number {
  const i = buffer.indexOf('\r\n\r\n');
  return i < 0 ? -1 : i + 4;
}

/** Parses "HTTP/1.1 426 Upgrade Required\r\nName: value…"; undefined when it is not an HTTP/1.x answer (TLS junk, HTTP/2 frames). */
export function parseHttpHead(text: string): HttpHead | undefined {
  const lines = text.split('\r\n');
  const statusLine = (lines[0] ?? '').trim();
  const m = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/.exec(statusLine);
  if (!m) return undefined;
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] ? `${headers[name]}, ${value}` : value;
  }
  return { statusLine, status: Number(m[1]), headers };
}

/** The <title> of an HTML body (a login or error page), whitespace collapsed, at most 80 characters. */
export function htmlTitle(body: string): string | undefined {
  const m = /<title[^>]*>([^<]*)<\/title>/i.exec(body);
  // A page from the network: no control characters reach the screen.
  const t = m?.[1]
    ?.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return t ? t.slice(0, 80) : undefined;
}
