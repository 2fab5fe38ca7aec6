/** Edit distance (insert, delete, substitute, swap of neighbours): how far a typo is from a word. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** The words a typo most likely meant, as git suggests them: close in spelling, or starting with it. */
export function didYouMean(typed: string, words: readonly string[]): string[] {
  const word = typed.toLowerCase();
  const scored = words.map((w) => ({ w, d: w.startsWith(word) && word.length >= 2 ? 0 : distance(word, w) }));
  const best = Math.min(...scored.map((s) => s.d));
  if (best > Math.max(2, Math.floor(word.length / 3))) return [];
  return scored.filter((s) => s.d === best).map((s) => s.w);
}
