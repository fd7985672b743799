// The 'b1' store's distance for every metric: the Hamming distance Σ popcount(a ⊕ b) over a row's
// ⌈dim/32⌉ uint32 words, as a float32 integer (exact). 16 bytes per step with i8x16.popcnt, byte
// counts widened pairwise into i32 lanes; the remaining words with i32.popcnt.

/** Hamming distance between the `words` uint32 words at byte addresses a and b. */
// @ts-ignore: decorator
@inline
export function hamming(a: usize, b: usize, words: i32): f32 {
  let acc = i32x4.splat(0);
  const bytes = <usize>words << 2;
  let o: usize = 0;
  for (; o + 16 <= bytes; o += 16) {
    const bits = i8x16.popcnt(v128.xor(v128.load(a + o), v128.load(b + o)));
    acc = i32x4.add(acc, i32x4.extadd_pairwise_i16x8_u(i16x8.extadd_pairwise_i8x16_u(bits)));
  }
  let d = i32x4.extract_lane(acc, 0) + i32x4.extract_lane(acc, 1) + i32x4.extract_lane(acc, 2) + i32x4.extract_lane(acc, 3);
  for (; o < bytes; o += 4) d += popcnt<u32>(load<u32>(a + o) ^ load<u32>(b + o));
  return <f32>d;
}

// `dim` here is the row's word count; the signatures are the f32 probes' (kernel-module.ts RowsFn).
export function b1Rows(q: usize, base: usize, words: i32, ids: usize, out: usize, count: i32): void {
  const rowBytes = <usize>words << 2;
  for (let i = 0; i < count; i++) {
    store<f32>(out + (<usize>i << 2), hamming(q, base + <usize>load<u32>(ids + (<usize>i << 2)) * rowBytes, words));
  }
}

export function b1Row(q: usize, row: usize, words: i32): f32 {
  return hamming(q, row, words);
}

export function b1FirstNearer(q: usize, base: usize, words: i32, ids: usize, count: i32, bound: f32): i32 {
  const rowBytes = <usize>words << 2;
  for (let i = 0; i < count; i++) {
    if (hamming(q, base + <usize>load<u32>(ids + (<usize>i << 2)) * rowBytes, words) < bound) return i;
  }
  return count;
}
