// The 'f16' store's distances: the float32 query against a row of IEEE binary16 codes, decoded in the
// loop (8 halves per v128 load, widened to two f32x4) and summed as the f32 loops sum (l2.ts, dot.ts:
// float32 lanes), so the result is within the metric's float32 tolerance over the decoded row.
// Decoding is exact: a half's magnitude bits shifted into a float32's place, times 2^112, is the half's
// value for normal and subnormal halves alike (wasm keeps subnormals); the sign bit is copied over.
// Infinity and NaN halves are never stored (encoding clamps; loading refuses them).

const MAGIC: f32 = 5.192296858534828e33; // 2^112

/** One half (low 16 bits of h) as float32. */
// @ts-ignore: decorator
@inline
function half(h: u32): f32 {
  const m = reinterpret<f32>((h & 0x7fff) << 13) * MAGIC;
  return reinterpret<f32>(reinterpret<u32>(m) | ((h & 0x8000) << 16));
}

/** Four halves (one per i32 lane, zero-extended) as float32. */
// @ts-ignore: decorator
@inline
function halves4(h: v128): v128 {
  const m = f32x4.mul(i32x4.shl(v128.and(h, i32x4.splat(0x7fff)), 13), f32x4.splat(MAGIC));
  return v128.or(m, i32x4.shl(v128.and(h, i32x4.splat(0x8000)), 16));
}

/** Row `row` of halves (byte address) decoded into `dim` float32 at `out`. */
export function f16Decode(row: usize, out: usize, dim: i32): void {
  const n = <usize>dim;
  let j: usize = 0;
  for (; j + 8 <= n; j += 8) {
    const h = v128.load(row + (j << 1));
    v128.store(out + (j << 2), halves4(i32x4.extend_low_i16x8_u(h)));
    v128.store(out + (j << 2), halves4(i32x4.extend_high_i16x8_u(h)), 16);
  }
  for (; j < n; j++) store<f32>(out + (j << 2), half(<u32>load<u16>(row + (j << 1))));
}

/** Squared L2 between the float32 query at `q` and the row of halves at `row`. */
// @ts-ignore: decorator
@inline
export function f16L2(q: usize, row: usize, dim: i32): f32 {
  let s0 = f32x4.splat(0), s1 = s0;
  const n = <usize>dim;
  let j: usize = 0;
  for (; j + 8 <= n; j += 8) {
    const h = v128.load(row + (j << 1));
    const d0 = f32x4.sub(v128.load(q + (j << 2)), halves4(i32x4.extend_low_i16x8_u(h)));
    const d1 = f32x4.sub(v128.load(q + (j << 2), 16), halves4(i32x4.extend_high_i16x8_u(h)));
    s0 = f32x4.add(s0, f32x4.mul(d0, d0));
    s1 = f32x4.add(s1, f32x4.mul(d1, d1));
  }
  const s = f32x4.add(s0, s1);
  let r = (f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1)) + (f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3));
  for (; j < n; j++) {
    const d = load<f32>(q + (j << 2)) - half(<u32>load<u16>(row + (j << 1)));
    r += d * d;
  }
  return r;
}

/** 1 − dot between the float32 query at `q` and the row of halves at `row` (ip, cosine). */
// @ts-ignore: decorator
@inline
export function f16Dot(q: usize, row: usize, dim: i32): f32 {
  let s0 = f32x4.splat(0), s1 = s0;
  const n = <usize>dim;
  let j: usize = 0;
  for (; j + 8 <= n; j += 8) {
    const h = v128.load(row + (j << 1));
    s0 = f32x4.add(s0, f32x4.mul(v128.load(q + (j << 2)), halves4(i32x4.extend_low_i16x8_u(h))));
    s1 = f32x4.add(s1, f32x4.mul(v128.load(q + (j << 2), 16), halves4(i32x4.extend_high_i16x8_u(h))));
  }
  const s = f32x4.add(s0, s1);
  let r = (f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1)) + (f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3));
  for (; j < n; j++) r += load<f32>(q + (j << 2)) * half(<u32>load<u16>(row + (j << 1)));
  return 1 - r;
}

// Batched entry points, as l2.ts's: `base` is row 0's byte address; rows are dim halves.
export function f16L2Rows(q: usize, base: usize, dim: i32, ids: usize, out: usize, count: i32): void {
  const rowBytes = <usize>dim << 1;
  for (let i = 0; i < count; i++) {
    store<f32>(out + (<usize>i << 2), f16L2(q, base + <usize>load<u32>(ids + (<usize>i << 2)) * rowBytes, dim));
  }
}

export function f16L2Row(q: usize, row: usize, dim: i32): f32 {
  return f16L2(q, row, dim);
}

export function f16L2FirstNearer(q: usize, base: usize, dim: i32, ids: usize, count: i32, bound: f32): i32 {
  const rowBytes = <usize>dim << 1;
  for (let i = 0; i < count; i++) {
    if (f16L2(q, base + <usize>load<u32>(ids + (<usize>i << 2)) * rowBytes, dim) < bound) return i;
  }
  return count;
}

export function f16DotRows(q: usize, base: usize, dim: i32, ids: usize, out: usize, count: i32): void {
  const rowBytes = <usize>dim << 1;
  for (let i = 0; i < count; i++) {
    store<f32>(out + (<usize>i << 2), f16Dot(q, base + <usize>load<u32>(ids + (<usize>i << 2)) * rowBytes, dim));
  }
}

export function f16DotRow(q: usize, row: usize, dim: i32): f32 {
  return f16Dot(q, row, dim);
}

export function f16DotFirstNearer(q: usize, base: usize, dim: i32, ids: usize, count: i32, bound: f32): i32 {
  const rowBytes = <usize>dim << 1;
  for (let i = 0; i < count; i++) {
    if (f16Dot(q, base + <usize>load<u32>(ids + (<usize>i << 2)) * rowBytes, dim) < bound) return i;
  }
  return count;
}
