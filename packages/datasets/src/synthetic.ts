/** A base set and a query set drawn from one distribution, row-major. */
export interface VectorSet {
  readonly name: string;
  readonly dim: number;
  readonly base: Float32Array;
  readonly queries: Float32Array;
  /**
   * The cluster each base row was drawn around (clustered sets only): what a filter correlated with
   * the data's structure selects by.
   */
  readonly labels?: Uint32Array;
}

export interface SyntheticOptions {
  n: number;
  dim: number;
  queries: number;
  seed?: number;
}

/**
 * Seeded uniform (xoshiro128**, period 2^128 − 1, state seeded by splitmix32) and Box–Muller normal
 * draws. A 1M × 1536 set draws ~1.5e9 numbers: the period must dwarf that, or rows repeat.
 */
export class SeededRandom {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare = NaN;

  constructor(seed: number) {
    let x = seed >>> 0;
    const splitmix32 = () => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = splitmix32();
    this.s1 = splitmix32();
    this.s2 = splitmix32();
    this.s3 = splitmix32();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result / 4294967296;
  }

  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const s = this.spare;
      this.spare = NaN;
      return s;
    }
    const u = 1 - this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Uniform in [−1, 1)^dim. */
export function uniformSet({ n, dim, queries, seed = 1 }: SyntheticOptions): VectorSet {
  const rng = new SeededRandom(seed);
  const draw = (m: number) => {
    const v = new Float32Array(m * dim);
    for (let i = 0; i < v.length; i++) v[i] = rng.uniform() * 2 - 1;
    return v;
  };
  return { name: `uniform-${dim}d-${n}`, dim, base: draw(n), queries: draw(queries) };
}

/**
 * Points around `clusters` Gaussian centres (centres ~ N(0, spread²), points ~ centre + N(0, 1)),
 * queries from the same mixture: the clustered set recall targets are quoted on. `labels` holds each
 * base row's cluster (drawn as before, so the vectors are the same with or without reading it).
 */
export function clusteredSet({
  n,
  dim,
  queries,
  seed = 1,
  clusters = 50,
  spread = 3,
}: SyntheticOptions & { clusters?: number; spread?: number }): VectorSet {
  const rng = new SeededRandom(seed);
  const centres = new Float32Array(clusters * dim);
  for (let i = 0; i < centres.length; i++) centres[i] = rng.normal() * spread;
  const draw = (m: number, labels?: Uint32Array) => {
    const v = new Float32Array(m * dim);
    for (let i = 0; i < m; i++) {
      const k = rng.int(clusters);
      if (labels) labels[i] = k;
      const c = k * dim;
      for (let j = 0; j < dim; j++) v[i * dim + j] = centres[c + j] + rng.normal();
    }
    return v;
  };
  const labels = new Uint32Array(n);
  return { name: `clustered-${dim}d-${n}`, dim, base: draw(n, labels), queries: draw(queries), labels };
}
