/** A candidate for diversification: its relevance (any scale, higher is better) and its lexeme set. */
export type DiversifyItem = { id: string; relevance: number; terms: Set<string>; text: string };

/** Jaccard overlap of two lexeme sets (1 = same words). */
export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const term of small) if (large.has(term)) shared++;
  return shared / (a.size + b.size - shared);
}

/**
 * De-duplicates and diversifies a relevance-ordered list: drops exact and near duplicates (overlapping
 * chunks, the same paragraph in two documents), then re-orders the first `window` positions by maximal
 * marginal relevance, λ·relevance − (1−λ)·max similarity to what is already chosen, with relevance
 * scaled to [0, 1]. Positions after the window keep their order.
 */
export function diversify<T extends DiversifyItem>(
  items: T[],
  options: { lambda: number; window: number; duplicateJaccard: number },
): T[] {
  const kept: T[] = [];
  const seenText = new Set<string>();
  for (const item of items) {
    const key = item.text.trim().replace(/\s+/g, ' ').toLowerCase();
    if (seenText.has(key)) continue;
    // Near-duplicates are only searched for among the leading items: beyond them order barely matters.
    const limit = Math.min(kept.length, options.window * 2);
    let duplicate = false;
    for (let i = 0; i < limit; i++) {
      const other = kept[i];
      if (other && jaccard(other.terms, item.terms) >= options.duplicateJaccard) {
        duplicate = true;
        break;
      }
    }
    if (duplicate) continue;
    seenText.add(key);
    kept.push(item);
  }
  if (options.lambda >= 1 || options.window <= 1 || kept.length <= 1) return kept;
  const pool = kept.slice(0, Math.max(options.window, 0) * 2);
  const rest = kept.slice(pool.length);
  const max = Math.max(...pool.map((item) => item.relevance));
  const min = Math.min(...pool.map((item) => item.relevance));
  const scale = (value: number) => (max > min ? (value - min) / (max - min) : 1);
  const chosen: T[] = [];
  const remaining = [...pool];
  // Each candidate's greatest similarity to what is chosen, updated with each pick: one Jaccard per
  // candidate and pick instead of one per candidate and chosen item (~1 ms a search at k 10 before).
  const similarity = remaining.map(() => 0);
  while (chosen.length < options.window && remaining.length > 0) {
    let bestIndex = 0;
    let bestScore = Number.NEGATIVE_INFINITY;
    remaining.forEach((candidate, index) => {
      const score =
        options.lambda * scale(candidate.relevance) - (1 - options.lambda) * (similarity[index] ?? 0);
      if (score > bestScore) {
        bestScore = score;
        bestIndex = index;
      }
    });
    const [picked] = remaining.splice(bestIndex, 1);
    similarity.splice(bestIndex, 1);
    if (!picked) break;
    chosen.push(picked);
    remaining.forEach((candidate, index) => {
      similarity[index] = Math.max(similarity[index] ?? 0, jaccard(picked.terms, candidate.terms));
    });
  }
  // Unchosen pool items go back in relevance order ahead of the rest.
  return [...chosen, ...remaining, ...rest];
}
