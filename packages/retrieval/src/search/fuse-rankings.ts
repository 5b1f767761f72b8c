/** One ranked list of ids, best first, with the ranker's own scores (higher is better). */
export type Ranking = { ids: string[]; scores: number[]; weight: number };

/**
 * Weighted reciprocal-rank fusion: score(d) = Σ weight / (rrfK + rank), rank from 1. Rank-based, so a
 * ranker's score scale never matters; a small weight lets a weak ranker only break ties.
 */
export function fuseReciprocalRank(rankings: Ranking[], rrfK: number): Map<string, number> {
  const fused = new Map<string, number>();
  for (const ranking of rankings) {
    if (ranking.weight === 0) continue;
    ranking.ids.forEach((id, index) => {
      fused.set(id, (fused.get(id) ?? 0) + ranking.weight / (rrfK + index + 1));
    });
  }
  return fused;
}

/**
 * Weighted min-max score fusion: each ranker's scores scaled to [0, 1] within its list, then summed
 * with weights; an id missing from a list gets 0 from it.
 */
export function fuseNormalisedScores(rankings: Ranking[]): Map<string, number> {
  const fused = new Map<string, number>();
  for (const ranking of rankings) {
    if (ranking.weight === 0 || ranking.ids.length === 0) continue;
    const max = Math.max(...ranking.scores);
    const min = Math.min(...ranking.scores);
    const span = max - min;
    ranking.ids.forEach((id, index) => {
      const score = ranking.scores[index] ?? min;
      const normalised = span > 0 ? (score - min) / span : 1;
      fused.set(id, (fused.get(id) ?? 0) + ranking.weight * normalised);
    });
  }
  return fused;
}

/** Ids sorted by fused score, best first; ties keep the first ranking's order (stable). */
export function sortFused(fused: Map<string, number>): string[] {
  return [...fused.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => id);
}
