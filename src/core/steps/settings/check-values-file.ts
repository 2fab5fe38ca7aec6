import { parseDocument } from 'yaml';
import { carriesToken } from '../../plan/helm/set-grammar.js';
import { isSecretLike } from '../../plan/secret-shapes.js';

/**
 * Why a --values file cannot be used, or undefined: it must be one YAML mapping (helm's own rule), and
 * it must not carry a token (config.token, or a value shaped like a GitLab token): values are kept in
 * the release history in plain text.
 */
export function valuesFileProblem(text: string): string | undefined {
  const doc = parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length > 0) return `is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`;
  const data: unknown = doc.toJS();
  if (data === null || data === undefined) return undefined; // an empty file is fine for helm
  if (typeof data !== 'object' || Array.isArray(data)) return 'is not a YAML mapping of chart values';
  const found = findToken(data as Record<string, unknown>, []);
  return found ? `carries a token at ${found}: values are stored in the release history` : undefined;
}

function findToken(value: unknown, path: string[]): string | undefined {
  if (typeof value === 'string') return isSecretLike(value) ? path.join('.') || '(top level)' : undefined;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const hit = findToken(v, [...path.slice(0, -1), `${path.at(-1) ?? ''}[${i}]`]);
      if (hit) return hit;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const at = [...path, k];
      if (carriesToken(at) && v !== null && v !== '') return at.join('.');
      const hit = findToken(v, at);
      if (hit) return hit;
    }
  }
  return undefined;
}
