/** One word for bash: left bare when it is plainly safe, else single-quoted (a ' inside becomes '\''). */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * A command as a person would paste it: the head words on the first line, then each group (a flag and
 * its value) on a line of its own, continued with a backslash. No line is long, so nothing wraps it
 * into a second line that a copy from the terminal would break; every word is quoted.
 */
export function continuedCommand(head: readonly string[], groups: readonly (readonly string[])[]): string {
  const line = (words: readonly string[]) => words.map(shellQuote).join(' ');
  return [line(head), ...groups.map((g) => `  ${line(g)}`)].join(' \\\n');
}

/** argv after the head words, paired as a person reads it: each flag with the value that follows it. */
export function flagGroups(args: readonly string[]): string[][] {
  const groups: string[][] = [];
  for (const arg of args) {
    const last = groups.at(-1);
    // A value follows its flag; `-` (stdin) is a value too.
    if (last && last.length === 1 && last[0]!.startsWith('-') && (!arg.startsWith('-') || arg === '-')) last.push(arg);
    else groups.push([arg]);
  }
  return groups;
}

/**
 * The same command packed into lines of at most `width` characters (where the words allow), continued
 * with a backslash: short enough that a terminal never wraps it, so a copy of it still runs.
 */
export function packedCommand(head: readonly string[], groups: readonly (readonly string[])[], width: number, indent = '    '): string[] {
  const line = (words: readonly string[]) => words.map(shellQuote).join(' ');
  const lines = [line(head)];
  for (const g of groups) {
    const text = line(g);
    const last = lines.length - 1;
    if (lines[last]!.length + 1 + text.length + 2 <= width) lines[last] = `${lines[last]} ${text}`;
    else lines.push(`${indent}${text}`);
  }
  return lines.map((l, i) => (i < lines.length - 1 ? `${l} \\` : l));
}

/** A comment for a pasted script, word-wrapped into `# ` lines: a terminal that wraps a long one would turn its tail into a command. */
export function commentLines(text: string, width = SCRIPT_WIDTH): string[] {
  const lines: string[] = [];
  let line = '#';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '#' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = '#  ';
    }
    line = line.endsWith(' ') ? `${line}${word}` : `${line} ${word}`;
  }
  lines.push(line);
  return lines;
}

/** Pasted scripts keep their lines this short (where words allow), so no terminal wraps them. */
export const SCRIPT_WIDTH = 78;
