import { readdirSync, readFileSync, lstatSync } from 'node:fs';
import { join } from 'node:path';

/** A secret as it may show up: clear, or base64 as in a Secret's data or an HTTP body. */
export function secretForms(name: string, value: string): Record<string, string> {
  return { [name]: value, [`${name} (base64)`]: Buffer.from(value, 'utf8').toString('base64') };
}

/** Which of the named needles occur in `text` (empty: none). */
export function leaksIn(text: string, needles: Record<string, string>): string[] {
  return Object.entries(needles)
    .filter(([, value]) => value.length >= 8 && text.includes(value))
    .map(([name]) => name);
}

/** Every regular file under `dir` (symlinks not followed), with its content. */
export function filesUnder(dir: string): { path: string; content: Buffer }[] {
  const out: { path: string; content: Buffer }[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      const path = join(d, entry);
      const st = lstatSync(path);
      if (st.isDirectory()) walk(path);
      else if (st.isFile()) out.push({ path, content: readFileSync(path) });
    }
  };
  walk(dir);
  return out;
}
