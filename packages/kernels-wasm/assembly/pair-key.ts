// A (distance, row) pair packed into one u64 whose unsigned order is the pair's order: distance
// first (as float32 compares them), then row. The heaps (pair-heap.ts) then compare one integer per
// step, with the core's tie-break on the row built in (packages/core/src/heap.ts orders the same).

/** The pair as a key: the distance's bits made order-preserving in the high word, the row in the low word. */
// @ts-ignore: decorator
@inline
export function pairKey(distance: f32, row: i32): u64 {
  // + 0 turns −0 into +0, which float32 compares as equal to it; NaN never reaches here (inputs are validated).
  let u = reinterpret<u32>(distance + 0);
  u ^= <u32>(<i32>u >> 31) | 0x80000000;
  return (<u64>u << 32) | <u64>(<u32>row);
}

/** The distance of a key. */
// @ts-ignore: decorator
@inline
export function keyDistance(key: u64): f32 {
  const u = <u32>(key >> 32);
  return reinterpret<f32>(u ^ (<u32>(<i32>~u >> 31) | 0x80000000));
}

/** The row of a key. */
// @ts-ignore: decorator
@inline
export function keyRow(key: u64): i32 {
  return <i32>(<u32>key);
}
