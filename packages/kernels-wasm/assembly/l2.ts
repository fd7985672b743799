// Squared Euclidean distance, f32x4. Must match @hnswlab/kernels-js's L2Probe within the conformance
// tolerance (1e-5 relative to a float64 reference): sums run in float32 here, in 16 lanes
// (four v128 accumulators), which keeps the error of a 1,536-term sum far inside it.
// Compiled with --enable simd (see asconfig.json); no allocation, no data segment, no runtime.

/** Squared L2 distance between the `dim` floats at byte addresses `a` and `b` (any alignment). */
// @ts-ignore: decorator
@inline
export function l2(a: usize, b: usize, dim: i32): f32 {
  let s0 = f32x4.splat(0), s1 = s0, s2 = s0, s3 = s0;
  const bytes = <usize>dim << 2;
  const end16 = <usize>(dim & ~15) << 2;
  const end4 = <usize>(dim & ~3) << 2;
  let o: usize = 0;
  // Four independent accumulators hide the add latency; 64 bytes (16 floats) per step.
  for (; o < end16; o += 64) {
    const d0 = f32x4.sub(v128.load(a + o), v128.load(b + o));
    const d1 = f32x4.sub(v128.load(a + o, 16), v128.load(b + o, 16));
    const d2 = f32x4.sub(v128.load(a + o, 32), v128.load(b + o, 32));
    const d3 = f32x4.sub(v128.load(a + o, 48), v128.load(b + o, 48));
    s0 = f32x4.add(s0, f32x4.mul(d0, d0));
    s1 = f32x4.add(s1, f32x4.mul(d1, d1));
    s2 = f32x4.add(s2, f32x4.mul(d2, d2));
    s3 = f32x4.add(s3, f32x4.mul(d3, d3));
  }
  for (; o < end4; o += 16) {
    const d = f32x4.sub(v128.load(a + o), v128.load(b + o));
    s0 = f32x4.add(s0, f32x4.mul(d, d));
  }
  const s = f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3));
  let r = (f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1)) + (f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3));
  // Scalar tail: dim % 4 floats.
  for (; o < bytes; o += 4) {
    const d = load<f32>(a + o) - load<f32>(b + o);
    r += d * d;
  }
  return r;
}

/**
 * out[i] = l2(query, row ids[i]) for i < count: the whole batch in one call from JS.
 * `base` is the byte address of row 0; rows are `dim` floats, packed.
 */
export function l2Rows(query: usize, base: usize, dim: i32, ids: usize, out: usize, count: i32): void {
  const rowBytes = <usize>dim << 2;
  const end = ids + (<usize>count << 2);
  for (; ids < end; ids += 4, out += 4) {
    const row = <usize>load<u32>(ids);
    store<f32>(out, l2(query, base + row * rowBytes, dim));
  }
}

/** l2(query, the row at byte address `row`). */
export function l2Row(query: usize, row: usize, dim: i32): f32 {
  return l2(query, row, dim);
}

/** The first i < count with l2(query, row ids[i]) < bound, or count: the neighbour heuristic's early-exit scan. */
export function l2FirstNearer(query: usize, base: usize, dim: i32, ids: usize, count: i32, bound: f32): i32 {
  const rowBytes = <usize>dim << 2;
  for (let i = 0; i < count; i++) {
    if (l2(query, base + <usize>load<u32>(ids + (<usize>i << 2)) * rowBytes, dim) < bound) return i;
  }
  return count;
}
