/**
 * Split (recall, QPS) points into the Pareto frontier (no other point has both as much recall and as
 * many QPS, and more of one) in ascending recall, and the dominated rest: ann-benchmarks draws the
 * frontier of each algorithm's sweep, since a dominated setting is never the one to run.
 */
export function paretoFrontier(points: ReadonlyArray<[number, number]>): {
  frontier: Array<[number, number]>;
  dominated: Array<[number, number]>;
} {
  const sorted = [...points].sort((a, b) => b[0] - a[0] || b[1] - a[1]);
  const frontier: Array<[number, number]> = [];
  const dominated: Array<[number, number]> = [];
  let bestQps = -Infinity;
  for (const p of sorted) {
    if (p[1] > bestQps) {
      frontier.push(p);
      bestQps = p[1];
    } else dominated.push(p);
  }
  return { frontier: frontier.reverse(), dominated };
}
