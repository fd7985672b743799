/**
 * Scale dim floats at offset to unit length, summing in float64 and storing float32: the same
 * arithmetic as @hnswlab/kernels-js, so both kernels store bit-identical cosine rows. Zero vectors
 * are rejected by the core before this.
 */
export function normaliseInPlace(v: Float32Array, offset: number, dim: number): void {
  let s = 0;
  for (let j = 0; j < dim; j++) s += v[offset + j] * v[offset + j];
  if (s === 0) return;
  const inv = 1 / Math.sqrt(s);
  for (let j = 0; j < dim; j++) v[offset + j] *= inv;
}
