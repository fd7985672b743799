// 1 − dot for the ip metric, where rows are not unit vectors: products and sums in float64 (f64x2,
// exact products of float32 inputs), like @hnswlab/kernels-js's DotProbe. A float32 sum of 1,536
// unnormalised products loses ~1e-5 relative where 1 − dot is small against the terms, outside the
// conformance tolerance; cosine rows are unit vectors and keep the float32 loop (dot.ts).
// Compiled with --enable simd.

/** The dot product, in float64, of the `dim` floats at byte addresses `a` and `b`. */
// @ts-ignore: decorator
@inline
function dot64(a: usize, b: usize, dim: i32): f64 {
  let s0 = f64x2.splat(0), s1 = s0, s2 = s0, s3 = s0;
  const bytes = <usize>dim << 2;
  const end8 = <usize>(dim & ~7) << 2;
  let o: usize = 0;
  // Two floats per load64_zero, widened to f64x2: four accumulators over 8 floats per step.
  for (; o < end8; o += 32) {
    s0 = f64x2.add(s0, f64x2.mul(f64x2.promote_low_f32x4(v128.load64_zero(a + o)), f64x2.promote_low_f32x4(v128.load64_zero(b + o))));
    s1 = f64x2.add(s1, f64x2.mul(f64x2.promote_low_f32x4(v128.load64_zero(a + o, 8)), f64x2.promote_low_f32x4(v128.load64_zero(b + o, 8))));
    s2 = f64x2.add(s2, f64x2.mul(f64x2.promote_low_f32x4(v128.load64_zero(a + o, 16)), f64x2.promote_low_f32x4(v128.load64_zero(b + o, 16))));
    s3 = f64x2.add(s3, f64x2.mul(f64x2.promote_low_f32x4(v128.load64_zero(a + o, 24)), f64x2.promote_low_f32x4(v128.load64_zero(b + o, 24))));
  }
  const s = f64x2.add(f64x2.add(s0, s1), f64x2.add(s2, s3));
  let r = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  for (; o < bytes; o += 4) r += <f64>load<f32>(a + o) * <f64>load<f32>(b + o);
  return r;
}

/** out[i] = 1 − dot(query, row ids[i]) for i < count, in one call. `base` is the byte address of row 0. */
export function ipRows(query: usize, base: usize, dim: i32, ids: usize, out: usize, count: i32): void {
  const rowBytes = <usize>dim << 2;
  const end = ids + (<usize>count << 2);
  for (; ids < end; ids += 4, out += 4) {
    const row = <usize>load<u32>(ids);
    store<f32>(out, <f32>(1 - dot64(query, base + row * rowBytes, dim)));
  }
}

/** 1 − dot(query, the row at byte address `row`). */
export function ipRow(query: usize, row: usize, dim: i32): f32 {
  return <f32>(1 - dot64(query, row, dim));
}

/** The first i < count with 1 − dot(query, row ids[i]) < bound, or count: the neighbour heuristic's early-exit scan. */
export function ipFirstNearer(query: usize, base: usize, dim: i32, ids: usize, count: i32, bound: f32): i32 {
  const rowBytes = <usize>dim << 2;
  for (let i = 0; i < count; i++) {
    if (<f32>(1 - dot64(query, base + <usize>load<u32>(ids + (<usize>i << 2)) * rowBytes, dim)) < bound) return i;
  }
  return count;
}
