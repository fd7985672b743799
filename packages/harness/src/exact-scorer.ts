import { metricSpec, type Metric } from '@hnswlab/core';

/**
 * The float32 distances from `query` to the rows `ids` of `base`, by the metric's reference formula
 * (rows and query normalised first under a normalising metric), sorted ascending: what recall is
 * counted on for an index whose own distances are not the ground truth's (a quantised store's).
 */
export function exactScorer(
  metric: Metric,
  base: Float32Array,
  dim: number,
): (query: Float32Array, found: { ids?: ArrayLike<number>; distances: ArrayLike<number> }) => { distances: Float32Array } {
  const spec = metricSpec(metric);
  const prepare = (v: Float32Array): Float32Array => (spec.normalise ? normalised(v) : v);
  return (query, found) => {
    if (!found.ids) throw new TypeError('exactScorer needs the ids the search found');
    const q = prepare(query);
    const out = new Float32Array(found.ids.length);
    for (let i = 0; i < out.length; i++) {
      const row = found.ids[i];
      out[i] = spec.reference(q, prepare(base.subarray(row * dim, (row + 1) * dim)));
    }
    return { distances: out.sort() };
  };
}

/** v / ‖v‖ as the f32 store normalises (sum of squares in float64, then rounded to float32). */
function normalised(v: Float32Array): Float32Array {
  let sum = 0;
  for (let j = 0; j < v.length; j++) sum += v[j] * v[j];
  const inv = sum > 0 ? 1 / Math.sqrt(sum) : 0;
  const out = new Float32Array(v.length);
  for (let j = 0; j < v.length; j++) out[j] = v[j] * inv;
  return out;
}
