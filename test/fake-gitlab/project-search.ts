/**
 * GitLab's project search and its orderings:
 * - Gitlab::SQL::Pattern#fuzzy_search: terms of 3+ characters must all occur (ILIKE %term%) in one
 *   column; shorter terms are dropped; a query with no such term only matches a column exactly
 *   (case-insensitive), so typing "ap" finds a project named "ap" and nothing else.
 * - Project.sorted_by_similarity_desc: pg_trgm SIMILARITY on path ×1, name ×0.7, description ×0.2.
 */

const MIN_CHARS_FOR_PARTIAL_MATCHING = 3;

/** Gitlab::SQL::Pattern.split_query_to_search_terms: "quoted terms" stay whole. */
function searchTerms(query: string): string[] {
  const quoted: string[] = [];
  const rest = query.replace(/(?<=^| )"[^"]+"(?= |$)/g, (term) => {
    quoted.push(term.slice(1, -1));
    return '';
  });
  return [...rest.split(/\s+/).filter((t) => t !== ''), ...quoted];
}

export function matchesSearch(query: string, columns: (string | null)[]): boolean {
  const squished = query.replace(/\s+/g, ' ').trim();
  if (squished === '') return true;
  const terms = searchTerms(squished).filter((t) => t.length >= MIN_CHARS_FOR_PARTIAL_MATCHING);
  return columns.some((column) => {
    const text = (column ?? '').toLowerCase();
    return terms.length > 0 ? terms.every((term) => text.includes(term.toLowerCase())) : text === squished.toLowerCase();
  });
}

/** pg_trgm's trigrams: lower-cased words of letters and digits, padded "  word ". */
function trigrams(text: string): Set<string> {
  const result = new Set<string>();
  for (const word of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (word === '') continue;
    const padded = `  ${word} `;
    for (let i = 0; i + 3 <= padded.length; i++) result.add(padded.slice(i, i + 3));
  }
  return result;
}

/** pg_trgm SIMILARITY(a, b): shared trigrams over all trigrams. */
export function trigramSimilarity(a: string, b: string): number {
  const left = trigrams(a);
  const right = trigrams(b);
  if (left.size === 0 || right.size === 0) return 0;
  let shared = 0;
  for (const gram of left) if (right.has(gram)) shared++;
  return shared / (left.size + right.size - shared);
}

export function similarityScore(search: string, project: { path: string; name: string; description: string | null }): number {
  return (
    trigramSimilarity(project.path, search) * 1 +
    trigramSimilarity(project.name, search) * 0.7 +
    trigramSimilarity(project.description ?? '', search) * 0.2
  );
}
