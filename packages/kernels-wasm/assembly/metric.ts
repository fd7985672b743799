// The metric of a fused traversal, chosen at compile time: every traversal function is generic over a
// marker class (L2, Dot, or Hamming for the b1 store) and calls `distance<M>`, which folds to one inlined loop, so each metric's
// entry points (exports.ts) run without a branch on the metric. The loops are the probes' own
// (l2.ts, dot.ts, b1.ts), so a fused distance is bit-identical to the probe's toRows value.
import { l2 } from './l2';
import { dot } from './dot';
import { hamming } from './b1';

/** Squared Euclidean distance (metric l2). */
export class L2 {}
/** 1 − dot, float32 (metrics ip and cosine). */
export class Dot {}
/** The b1 store's Hamming distance, every metric: rows are ⌈dim/32⌉ words, and the state's `dim` is that word count. */
export class Hamming {}

/** distance(vector at `a`, vector at `b`) under metric M, as the probes compute it (query first). */
// @ts-ignore: decorator
@inline
export function distance<M>(a: usize, b: usize, dim: i32): f32 {
  if (idof<M>() == idof<Dot>()) return 1 - dot(a, b, dim);
  if (idof<M>() == idof<Hamming>()) return hamming(a, b, dim);
  return l2(a, b, dim);
}
