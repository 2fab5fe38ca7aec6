import { createHash } from 'node:crypto';

type Values = Record<string, unknown>;

export const MASK = '********';

/** Keys whose scalar value is a credential (`config.token`, `password`, `tls.key` …); `secretName` and friends only name one. */
const SENSITIVE_KEY = /(token|passw(or)?d|secret|private[-_]?key|^key$|api[-_]?key|jwt|credential)/i;
const NAMING_KEY = /(name|ref|path|file|enabled|create)$/i;

function isSensitive(key: string): boolean {
  return SENSITIVE_KEY.test(key) && !NAMING_KEY.test(key);
}

const digest = (value: string) => createHash('sha256').update(value).digest('hex');

/** A leaf as a diff shows it, and what decides whether it changed (for a masked value: its hash, never shown). */
interface Leaf {
  text: string;
  compare: string;
}

function leaf(key: string, value: unknown): Leaf {
  const text = shown(key, value);
  return { text, compare: text === MASK ? digest(JSON.stringify(value)) : text };
}

/** What a diff line shows of a scalar: credentials masked, multi-line text (a PEM) summarised by its hash. */
function shown(key: string, value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'string') {
    if (isSensitive(key) || /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(value)) return MASK;
    if (value.includes('\n')) {
      const kind = /-----BEGIN CERTIFICATE-----/.test(value) ? 'certificate' : 'text';
      const lines = value.trimEnd().split('\n').length;
      return `<${kind}, ${lines} lines, sha256:${digest(value).slice(0, 12)}>`;
    }
    return JSON.stringify(value);
  }
  if (isSensitive(key) && (typeof value === 'number' || typeof value === 'boolean') && !/enabled/i.test(key)) return MASK;
  return JSON.stringify(value);
}

/**
 * Values as path → shown scalar. Lists of objects that each have a distinct `name` (extraEnv, volumes)
 * are keyed by that name, so adding one entry does not show every later entry as changed.
 */
function flatten(values: unknown, prefix = '', key = ''): Map<string, Leaf> {
  const out = new Map<string, Leaf>();
  const empty = (text: string) => ({ text, compare: text });
  if (Array.isArray(values)) {
    const names = values.map((v) =>
      v && typeof v === 'object' && typeof (v as Values).name === 'string' ? ((v as Values).name as string) : undefined,
    );
    const byName = values.length > 0 && names.every((n) => n !== undefined) && new Set(names).size === names.length;
    if (values.length === 0) out.set(prefix, empty('[]'));
    values.forEach((v, i) => {
      const at = byName ? `${prefix}[name=${names[i]}]` : `${prefix}[${i}]`;
      for (const [k, s] of flatten(byName ? Object.fromEntries(Object.entries(v as Values).filter(([k2]) => k2 !== 'name')) : v, at, key))
        out.set(k, s);
    });
    return out;
  }
  if (values && typeof values === 'object') {
    const entries = Object.entries(values as Values);
    if (entries.length === 0 && prefix) out.set(prefix, empty('{}'));
    for (const [k, v] of entries.sort(([a], [b]) => a.localeCompare(b))) {
      for (const [p, s] of flatten(v, prefix ? `${prefix}.${k}` : k, k)) out.set(p, s);
    }
    return out;
  }
  out.set(prefix, leaf(key, values));
  return out;
}

/**
 * The change between two sets of helm values, one line per changed leaf: "- path: old", "+ path: new".
 * Credentials are masked on both sides (a changed one shows as two masked lines); multi-line text by its hash.
 */
export function valuesDiff(before: Values, after: Values): string[] {
  const a = flatten(before);
  const b = flatten(after);
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => x.localeCompare(y));
  const lines: string[] = [];
  for (const path of paths) {
    const was = a.get(path);
    const now = b.get(path);
    if (was?.compare === now?.compare) continue;
    if (was !== undefined) lines.push(`- ${path}: ${was.text}`);
    if (now !== undefined) lines.push(`+ ${path}: ${now.text}`);
  }
  return lines;
}

/** A copy with every credential replaced by the mask (for a pasteable command or a review). */
export function maskedValues(values: unknown, key = ''): unknown {
  if (Array.isArray(values)) return values.map((v) => maskedValues(v, key));
  if (values && typeof values === 'object')
    return Object.fromEntries(Object.entries(values as Values).map(([k, v]) => [k, maskedValues(v, k)]));
  if (typeof values === 'string' && (isSensitive(key) || /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(values))) return MASK;
  return values;
}
