/** The part of a search result recall needs: distances, nearest first. */
export interface RankedDistances {
  readonly distances: ArrayLike<number>;
}

/**
 * recall@k counted by distance, as ann-benchmarks does: a returned neighbour counts when its distance
 * is within the k-th exact distance (plus a small relative epsilon), so ties and duplicate vectors are
 * not miscounted as misses.
 */
export function recallByDistance(found: RankedDistances, exact: RankedDistances, k: number, epsilon = 1e-3): number {
  if (exact.distances.length === 0) return 1;
  const threshold = exact.distances[Math.min(k, exact.distances.length) - 1];
  let hits = 0;
  for (let i = 0; i < Math.min(k, found.distances.length); i++) {
    if (found.distances[i] <= threshold + epsilon * Math.max(1, Math.abs(threshold))) hits++;
  }
  return hits / Math.min(k, exact.distances.length);
}
