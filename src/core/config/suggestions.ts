// "Did you mean …?" for names a coordinator typed: jobs, connections, target fields, column
// headers. One measure of closeness everywhere, so every message guesses the same way.

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** The candidate a typo most likely meant, compared case-insensitively; undefined when none is close. */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  const want = name.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of candidates) {
    const have = candidate.toLowerCase();
    const distance = levenshtein(want, have);
    const limit = Math.max(1, Math.floor(Math.max(want.length, have.length) / 3));
    const score = distance <= limit ? distance : want.length >= 3 && (have.startsWith(want) || want.startsWith(have)) ? limit + 1 : Infinity;
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

/** `no job named "Volunters" (did you mean "Volunteers"?)`. */
export function noSuch(what: string, name: string, candidates: Iterable<string>): string {
  const guess = closestName(name, candidates);
  return `no ${what} named "${name}"${guess === undefined ? '' : ` (did you mean "${guess}"?)`}`;
}
