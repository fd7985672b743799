/** A base set and a query set drawn from one distribution, row-major. */
export interface VectorSet {
  readonly name: string;
  readonly dim: number;
  readonly base: Float32Array;
  readonly queries: Float32Array;
}

export interface SyntheticOptions {
  n: number;
  dim: number;
  queries: number;
  seed?: number;
}

/** Seeded uniform, then Box–Muller normal draws (xorshift128+ style state kept in two 32-bit halves). */
export class SeededRandom {
  private a: number;
  private b: number;
  private spare = NaN;

  constructor(seed: number) {
    this.a = (seed ^ 0x9e3779b9) >>> 0 || 1;
    this.b = (Math.imul(seed, 0x85ebca6b) ^ 0xc2b2ae35) >>> 0 || 2;
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    let s1 = this.a;
    const s0 = this.b;
    this.a = s0;
    s1 ^= s1 << 23;
    s1 ^= s1 >>> 17;
    s1 ^= s0;
    s1 ^= s0 >>> 26;
    this.b = s1 >>> 0;
    return ((this.a + this.b) >>> 0) / 4294967296;
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
 * queries from the same mixture: the clustered set recall targets are quoted on.
 */
export function clusteredSet({ n, dim, queries, seed = 1, clusters = 50, spread = 3 }: SyntheticOptions & { clusters?: number; spread?: number }): VectorSet {
  const rng = new SeededRandom(seed);
  const centres = new Float32Array(clusters * dim);
  for (let i = 0; i < centres.length; i++) centres[i] = rng.normal() * spread;
  const draw = (m: number) => {
    const v = new Float32Array(m * dim);
    for (let i = 0; i < m; i++) {
      const c = rng.int(clusters) * dim;
      for (let j = 0; j < dim; j++) v[i * dim + j] = centres[c + j] + rng.normal();
    }
    return v;
  };
  return { name: `clustered-${dim}d-${n}`, dim, base: draw(n), queries: draw(queries) };
}
