// 1 − dot, f32x4, for the cosine and ip metrics (ip.ts re-exports these under ip names): a float32
// sum in 16 lanes (four v128 accumulators). Must match @hnswlab/kernels-js's DotProbe (float64)
// within the conformance bound for dot products, γ_dim · Σ|aᵢ·bᵢ| (packages/conformance reference.ts).
// Compiled with --enable simd.

/** The dot product of the `dim` floats at byte addresses `a` and `b` (any alignment). */
// @ts-ignore: decorator
@inline
export function dot(a: usize, b: usize, dim: i32): f32 {
  let s0 = f32x4.splat(0), s1 = s0, s2 = s0, s3 = s0;
  const bytes = <usize>dim << 2;
  const end16 = <usize>(dim & ~15) << 2;
  const end4 = <usize>(dim & ~3) << 2;
  let o: usize = 0;
  for (; o < end16; o += 64) {
    s0 = f32x4.add(s0, f32x4.mul(v128.load(a + o), v128.load(b + o)));
    s1 = f32x4.add(s1, f32x4.mul(v128.load(a + o, 16), v128.load(b + o, 16)));
    s2 = f32x4.add(s2, f32x4.mul(v128.load(a + o, 32), v128.load(b + o, 32)));
    s3 = f32x4.add(s3, f32x4.mul(v128.load(a + o, 48), v128.load(b + o, 48)));
  }
  for (; o < end4; o += 16) {
    s0 = f32x4.add(s0, f32x4.mul(v128.load(a + o), v128.load(b + o)));
  }
  const s = f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3));
  let r = (f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1)) + (f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3));
  for (; o < bytes; o += 4) r += load<f32>(a + o) * load<f32>(b + o);
  return r;
}

/** out[i] = 1 − dot(query, row ids[i]) for i < count, in one call. `base` is the byte address of row 0. */
export function dotRows(query: usize, base: usize, dim: i32, ids: usize, out: usize, count: i32): void {
  const rowBytes = <usize>dim << 2;
  const end = ids + (<usize>count << 2);
  for (; ids < end; ids += 4, out += 4) {
    const row = <usize>load<u32>(ids);
    store<f32>(out, 1 - dot(query, base + row * rowBytes, dim));
  }
}

/** 1 − dot(query, the row at byte address `row`). */
export function dotRow(query: usize, row: usize, dim: i32): f32 {
  return 1 - dot(query, row, dim);
}

/** The first i < count with 1 − dot(query, row ids[i]) < bound, or count: the neighbour heuristic's early-exit scan. */
export function dotFirstNearer(query: usize, base: usize, dim: i32, ids: usize, count: i32, bound: f32): i32 {
  const rowBytes = <usize>dim << 2;
  for (let i = 0; i < count; i++) {
    if (1 - dot(query, base + <usize>load<u32>(ids + (<usize>i << 2)) * rowBytes, dim) < bound) return i;
  }
  return count;
}
