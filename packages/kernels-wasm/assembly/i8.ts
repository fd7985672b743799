// The 'i8' store's distances, exactly as the contract writes them: integer sums over int8 codes in
// i32 lanes (i8x16 widened to i16x8, i32x4.dot_i16x8_s; a lane sums dim/4 terms of at most 254²,
// < 2^31 below dim 133,000, which createSpace checks; lanes added in f64), then one float64 combination and one rounding to float32:
//   l2:         fround(S · s²)                            S = Σ (qa − qb)²
//   ip, cosine: fround(1 − ((C + s·(Pa + Pb)) + s²·I))    I = Σ qa·qb
// Pa, Pb (Σ c_j·q_j per row, float64) and C, s, s² are computed once outside the loop (src/store-i8.ts).

/** Σ (a_j − b_j)² over the dim int8 codes at byte addresses a and b, exact. */
// @ts-ignore: decorator
@inline
function sumSquares(a: usize, b: usize, dim: i32): f64 {
  let acc = i32x4.splat(0);
  const n = <usize>dim;
  let j: usize = 0;
  for (; j + 16 <= n; j += 16) {
    const x = v128.load(a + j),
      y = v128.load(b + j);
    const lo = i16x8.sub(i16x8.extend_low_i8x16_s(x), i16x8.extend_low_i8x16_s(y));
    const hi = i16x8.sub(i16x8.extend_high_i8x16_s(x), i16x8.extend_high_i8x16_s(y));
    acc = i32x4.add(acc, i32x4.add(i32x4.dot_i16x8_s(lo, lo), i32x4.dot_i16x8_s(hi, hi)));
  }
  let tail: i32 = 0;
  for (; j < n; j++) {
    const d = <i32>load<i8>(a + j) - <i32>load<i8>(b + j);
    tail += d * d;
  }
  return (<f64>i32x4.extract_lane(acc, 0) + <f64>i32x4.extract_lane(acc, 1)) + (<f64>i32x4.extract_lane(acc, 2) + <f64>i32x4.extract_lane(acc, 3)) + <f64>tail;
}

/** Σ a_j·b_j over the dim int8 codes at byte addresses a and b, exact. */
// @ts-ignore: decorator
@inline
function sumProducts(a: usize, b: usize, dim: i32): f64 {
  let acc = i32x4.splat(0);
  const n = <usize>dim;
  let j: usize = 0;
  for (; j + 16 <= n; j += 16) {
    const x = v128.load(a + j),
      y = v128.load(b + j);
    const lo = i32x4.dot_i16x8_s(i16x8.extend_low_i8x16_s(x), i16x8.extend_low_i8x16_s(y));
    acc = i32x4.add(acc, i32x4.add(lo, i32x4.dot_i16x8_s(i16x8.extend_high_i8x16_s(x), i16x8.extend_high_i8x16_s(y))));
  }
  let tail: i32 = 0;
  for (; j < n; j++) tail += <i32>load<i8>(a + j) * <i32>load<i8>(b + j);
  return (<f64>i32x4.extract_lane(acc, 0) + <f64>i32x4.extract_lane(acc, 1)) + (<f64>i32x4.extract_lane(acc, 2) + <f64>i32x4.extract_lane(acc, 3)) + <f64>tail;
}

// l2: `s2` is s². `p` (the query's P) is unused: the signature is the dot functions', so one probe calls either.
export function i8L2Rows(q: usize, p: f64, base: usize, terms: usize, dim: i32, ids: usize, out: usize, count: i32, c: f64, s: f64, s2: f64): void {
  for (let i = 0; i < count; i++) {
    const row = <usize>load<u32>(ids + (<usize>i << 2));
    store<f32>(out + (<usize>i << 2), <f32>(sumSquares(q, base + row * <usize>dim, dim) * s2));
  }
}

export function i8L2Row(q: usize, p: f64, base: usize, terms: usize, dim: i32, row: i32, c: f64, s: f64, s2: f64): f32 {
  return <f32>(sumSquares(q, base + <usize>row * <usize>dim, dim) * s2);
}

export function i8L2FirstNearer(q: usize, p: f64, base: usize, terms: usize, dim: i32, ids: usize, count: i32, bound: f32, c: f64, s: f64, s2: f64): i32 {
  for (let i = 0; i < count; i++) {
    const row = <usize>load<u32>(ids + (<usize>i << 2));
    if (<f32>(sumSquares(q, base + row * <usize>dim, dim) * s2) < bound) return i;
  }
  return count;
}

/** The ip/cosine distance from codes at q (with P = p) to stored row `row` (its P in terms). */
// @ts-ignore: decorator
@inline
function dotDistance(q: usize, p: f64, base: usize, terms: usize, dim: i32, row: usize, c: f64, s: f64, s2: f64): f32 {
  const I = sumProducts(q, base + row * <usize>dim, dim);
  return <f32>(1 - ((c + s * (p + load<f64>(terms + (row << 3)))) + s2 * I));
}

export function i8DotRows(q: usize, p: f64, base: usize, terms: usize, dim: i32, ids: usize, out: usize, count: i32, c: f64, s: f64, s2: f64): void {
  for (let i = 0; i < count; i++) {
    const row = <usize>load<u32>(ids + (<usize>i << 2));
    store<f32>(out + (<usize>i << 2), dotDistance(q, p, base, terms, dim, row, c, s, s2));
  }
}

export function i8DotRow(q: usize, p: f64, base: usize, terms: usize, dim: i32, row: i32, c: f64, s: f64, s2: f64): f32 {
  return dotDistance(q, p, base, terms, dim, <usize>row, c, s, s2);
}

export function i8DotFirstNearer(q: usize, p: f64, base: usize, terms: usize, dim: i32, ids: usize, count: i32, bound: f32, c: f64, s: f64, s2: f64): i32 {
  for (let i = 0; i < count; i++) {
    const row = <usize>load<u32>(ids + (<usize>i << 2));
    if (dotDistance(q, p, base, terms, dim, row, c, s, s2) < bound) return i;
  }
  return count;
}
