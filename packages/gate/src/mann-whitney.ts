/** The Mann–Whitney U statistic of x against y and its two-sided p-value. */
export interface MannWhitneyResult {
  /** U of x: how many (x, y) pairs have x above y (ties count a half). */
  u: number;
  /** Two-sided p-value: exact when there are no ties and the samples are small, else normal with tie correction. */
  p: number;
  exact: boolean;
}

/**
 * Mann–Whitney U test (Wilcoxon rank-sum), the rank test Chromium's Pinpoint uses to decide whether two
 * samples of timings differ. Rank-based, so one disturbed repeat moves it little.
 */
export function mannWhitneyU(x: readonly number[], y: readonly number[]): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) return { u: NaN, p: 1, exact: false };
  const all = [...x.map((v) => ({ v, g: 0 })), ...y.map((v) => ({ v, g: 1 }))].sort((a, b) => a.v - b.v);
  const ranks = new Float64Array(all.length);
  let tieTerm = 0;
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j + 1 < all.length && all[j + 1].v === all[i].v) j++;
    const t = j - i + 1;
    for (let k = i; k <= j; k++) ranks[k] = (i + j) / 2 + 1;
    tieTerm += t * t * t - t;
    i = j + 1;
  }
  let r1 = 0;
  for (let i = 0; i < all.length; i++) if (all[i].g === 0) r1 += ranks[i];
  const u = r1 - (n1 * (n1 + 1)) / 2;
  if (tieTerm === 0 && n1 * n2 <= 2500) {
    const lower = Math.min(u, n1 * n2 - u);
    return { u, p: Math.min(1, 2 * exactLowerTail(n1, n2, lower)), exact: true };
  }
  const n = n1 + n2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return { u, p: 1, exact: false };
  const z = (Math.abs(u - mean) - 0.5) / Math.sqrt(variance);
  return { u, p: Math.min(1, 2 * (1 - normalCdf(Math.max(0, z)))), exact: false };
}

/** P(U ≤ u) under the null for sample sizes n1, n2 without ties, by the counting recursion (in probabilities, so no overflow). */
function exactLowerTail(n1: number, n2: number, u: number): number {
  // The largest of a + b values is an x with probability a/(a+b) (then it beats all b values of y)
  // or a y (then it adds nothing): P(a,b,k) = a/(a+b)·P(a−1,b,k−b) + b/(a+b)·P(a,b−1,k).
  const maxU = n1 * n2;
  let prev: Float64Array[] = [];
  for (let b = 0; b <= n2; b++) prev.push(Float64Array.of(1)); // a = 0: U is 0 with probability 1
  for (let a = 1; a <= n1; a++) {
    const cur: Float64Array[] = [new Float64Array(1).fill(1)]; // b = 0
    for (let b = 1; b <= n2; b++) {
      const size = a * b + 1;
      const d = new Float64Array(size);
      const left = prev[b]; // sizes a − 1, b
      const down = cur[b - 1]; // sizes a, b − 1
      const wx = a / (a + b);
      const wy = b / (a + b);
      for (let k = 0; k < size; k++) {
        let p = 0;
        if (k - b >= 0 && k - b < left.length) p += wx * left[k - b];
        if (k < down.length) p += wy * down[k];
        d[k] = p;
      }
      cur.push(d);
    }
    prev = cur;
  }
  const dist = prev[n2];
  let tail = 0;
  for (let k = 0; k <= Math.min(Math.floor(u), maxU); k++) tail += dist[k];
  return tail;
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 through erf; error below 1.5e-7). */
export function normalCdf(z: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(z)) / Math.SQRT2);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(z * z) / 2);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}
