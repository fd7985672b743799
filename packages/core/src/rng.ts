import { MAX_LEVEL } from './layout.js';

/** A small seeded PRNG (mulberry32): the same seed gives the same levels, run after run, in any thread. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** The internal state, so a sequence can be rewound with {@link restore}. */
  get seed(): number {
    return this.state;
  }

  restore(state: number): void {
    this.state = state >>> 0;
  }
}

/** HNSW's level draw: floor(−ln(u)·mL) with mL = 1/ln(M), capped so a level fits a byte. */
export function drawLevel(rng: Rng, levelMult: number, maxLevel = MAX_LEVEL): number {
  const u = 1 - rng.next(); // (0, 1]
  return Math.min(maxLevel, Math.floor(-Math.log(u) * levelMult));
}
