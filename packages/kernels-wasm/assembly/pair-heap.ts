// A binary min-heap of packed (distance, row) keys (pair-key.ts) over a block of u64 at `base`; the
// caller keeps the size. Candidates use it as is (nearest on top); results store complemented keys,
// which puts the farthest pair on top. Any correct heap pops the same sequence: keys are distinct
// (a row enters a search once) and totally ordered.

/** Add `key` to the heap of `size` keys (room for one more); the size becomes size + 1. */
// @ts-ignore: decorator
@inline
export function heapPush(base: usize, size: i32, key: u64): void {
  let i = size;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const kp = load<u64>(base + (<usize>parent << 3));
    if (kp <= key) break;
    store<u64>(base + (<usize>i << 3), kp);
    i = parent;
  }
  store<u64>(base + (<usize>i << 3), key);
}

/** Place `key` from the root down in a heap of `n` keys: replace the top (n = size), or pop (the last key, n = size − 1). */
// @ts-ignore: decorator
@inline
export function heapSiftDown(base: usize, n: i32, key: u64): void {
  let i = 0;
  for (;;) {
    let child = 2 * i + 1;
    if (child >= n) break;
    let kc = load<u64>(base + (<usize>child << 3));
    if (child + 1 < n) {
      const k2 = load<u64>(base + (<usize>child << 3), 8);
      if (k2 < kc) {
        child++;
        kc = k2;
      }
    }
    if (key <= kc) break;
    store<u64>(base + (<usize>i << 3), kc);
    i = child;
  }
  store<u64>(base + (<usize>i << 3), key);
}

/** Remove the top of a heap of `size` keys; the size becomes size − 1. */
// @ts-ignore: decorator
@inline
export function heapPop(base: usize, size: i32): void {
  const n = size - 1;
  if (n > 0) heapSiftDown(base, n, load<u64>(base + (<usize>n << 3)));
}
