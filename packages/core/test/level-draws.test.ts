import { describe, expect, it } from 'vitest';
import { MAX_LEVEL } from '../dist/layout.js';
import { drawLevel, Rng } from '../dist/rng.js';

describe('level draws', () => {
  it('follow HNSW: P(level ≥ l) = M^−l, within sampling error', () => {
    const M = 16,
      n = 200_000;
    const rng = new Rng(7);
    const atLeast = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) {
      const l = drawLevel(rng, 1 / Math.log(M));
      for (let j = 0; j < atLeast.length && j <= l; j++) atLeast[j]++;
    }
    expect(atLeast[0]).toBe(n);
    for (let l = 1; l <= 3; l++) {
      const expected = n * M ** -l;
      expect(Math.abs(atLeast[l] - expected), `level ≥ ${l}`).toBeLessThan(5 * Math.sqrt(expected) + 2);
    }
  });

  it('are a function of the seed alone, and rewind with restore()', () => {
    const a = new Rng(42),
      b = new Rng(42);
    const seq = Array.from({ length: 1000 }, () => drawLevel(a, 1 / Math.log(8)));
    expect(Array.from({ length: 1000 }, () => drawLevel(b, 1 / Math.log(8)))).toEqual(seq);
    const c = new Rng(42);
    for (let i = 0; i < 500; i++) drawLevel(c, 1 / Math.log(8));
    const mark = c.seed;
    const tail = Array.from({ length: 10 }, () => drawLevel(c, 1 / Math.log(8)));
    c.restore(mark);
    expect(Array.from({ length: 10 }, () => drawLevel(c, 1 / Math.log(8)))).toEqual(tail);
    expect(tail).toEqual(seq.slice(500, 510));
  });

  it('never exceed the layout maximum, even with a huge multiplier', () => {
    const rng = new Rng(1);
    for (let i = 0; i < 10_000; i++) expect(drawLevel(rng, 1e6)).toBeLessThanOrEqual(MAX_LEVEL);
  });
});
