/**
 * helm's `--set` grammar (pkg/strvals): comma-separated `key=value` pairs; `\` escapes the next
 * character (so `\,` and `\.` are literal); dots split the key; `name[0]` indexes a list; a value in
 * braces `{a,b}` is a list and may hold commas. Parsed here so that a rule about a key (never the
 * token) sees the key helm will see, wherever it stands in the argument.
 */
export interface SetAssignment {
  path: (string | number)[];
  value: string;
}

export function parseSetArgument(text: string): SetAssignment[] | { problem: string } {
  const out: SetAssignment[] = [];
  let i = 0;
  while (i < text.length) {
    const path: (string | number)[] = [];
    let segment = '';
    let sawKey = false;
    // The key, up to an unescaped '='.
    for (;;) {
      if (i >= text.length) return { problem: `key "${[...path, segment].join('.')}" has no value (use key=value)` };
      const c = text[i]!;
      if (c === '\\' && i + 1 < text.length) {
        segment += text[i + 1];
        i += 2;
        sawKey = true;
        continue;
      }
      if (c === ',') return { problem: `key "${[...path, segment].join('.')}" has no value (use key=value)` };
      if (c === '=') {
        i++;
        break;
      }
      if (c === '.') {
        if (segment !== '') path.push(segment);
        segment = '';
        i++;
        continue;
      }
      if (c === '[') {
        const close = text.indexOf(']', i);
        const index = close > i ? text.slice(i + 1, close) : '';
        if (!/^\d+$/.test(index))
          return { problem: `list index in "${text.slice(0, close > 0 ? close + 1 : text.length)}" is not a number` };
        if (segment !== '') path.push(segment);
        segment = '';
        path.push(Number(index));
        i = close + 1;
        sawKey = true;
        continue;
      }
      segment += c;
      sawKey = true;
      i++;
    }
    if (segment !== '') path.push(segment);
    if (!sawKey || path.length === 0) return { problem: 'a key is empty (use key=value)' };
    // The value, up to an unescaped ',' outside braces.
    let value = '';
    let depth = 0;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '\\' && i + 1 < text.length) {
        value += text[i + 1];
        i += 2;
        continue;
      }
      if (c === '{') depth++;
      if (c === '}') depth = Math.max(0, depth - 1);
      if (c === ',' && depth === 0) {
        i++;
        break;
      }
      value += c;
      i++;
    }
    out.push({ path, value });
  }
  if (out.length === 0) return { problem: 'is empty (use key=value)' };
  return out;
}

/** The keys through which the chart takes a token in plain text (and keeps it in the release history). */
export function carriesToken(path: readonly (string | number)[]): boolean {
  const keys = path.filter((p): p is string => typeof p === 'string').map((p) => p.toLowerCase());
  return (keys[0] === 'config' && keys[1] === 'token') || (keys.length === 1 && keys[0] === 'token');
}
