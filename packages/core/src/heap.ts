// Binary heaps of (distance, row) pairs over typed arrays: no objects per entry, no allocation
// once warm. Ties break on the row so results are deterministic.
//
// One class serves both orders: a max-heap stores negated keys and rows in a min-heap. Keeping a
// single class keeps push/pop monomorphic, which V8 inlines into the search loop.

export class PairHeap {
  keys: Float32Array;
  rows: Int32Array;
  size = 0;

  /** sign 1: nearest on top; sign −1: farthest on top. */
  constructor(
    capacity: number,
    private readonly sign: 1 | -1,
  ) {
    this.keys = new Float32Array(Math.max(4, capacity));
    this.rows = new Int32Array(Math.max(4, capacity));
  }

  clear(): void {
    this.size = 0;
  }

  topKey(): number {
    return this.keys[0] * this.sign;
  }

  topRow(): number {
    return this.rows[0] * this.sign;
  }

  push(key: number, row: number): void {
    if (this.size === this.keys.length) this.grow();
    const keys = this.keys,
      rows = this.rows;
    const k = key * this.sign,
      r = row * this.sign;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const kp = keys[parent];
      if (kp < k || (kp === k && rows[parent] <= r)) break;
      keys[i] = kp;
      rows[i] = rows[parent];
      i = parent;
    }
    keys[i] = k;
    rows[i] = r;
  }

  /** Removes the top; read it with topKey()/topRow() first. */
  pop(): void {
    const n = --this.size;
    if (n <= 0) return;
    this.siftDown(this.keys[n], this.rows[n], n);
  }

  /** pop() then push(key, row) in one sift: a full result set evicting its worst. */
  replaceTop(key: number, row: number): void {
    this.siftDown(key * this.sign, row * this.sign, this.size);
  }

  /** Place the signed pair (k, r) from the root down, in a heap of n entries. */
  private siftDown(k: number, r: number, n: number): void {
    const keys = this.keys,
      rows = this.rows;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      let kc = keys[child];
      if (child + 1 < n) {
        const k2 = keys[child + 1];
        if (k2 < kc || (k2 === kc && rows[child + 1] < rows[child])) {
          child++;
          kc = k2;
        }
      }
      if (k < kc || (k === kc && r <= rows[child])) break;
      keys[i] = kc;
      rows[i] = rows[child];
      i = child;
    }
    keys[i] = k;
    rows[i] = r;
  }

  /** Nearest on top: the candidates still to expand. */
  static nearestFirst(capacity: number): PairHeap {
    return new PairHeap(capacity, 1);
  }

  /** Farthest on top: the best ef results so far, worst first so it can be evicted. */
  static farthestFirst(capacity: number): PairHeap {
    return new PairHeap(capacity, -1);
  }

  /** Empties the heap into rows/keys in reverse pop order (for a farthest-first heap: nearest first); returns the count. */
  drainReversed(outRows: Int32Array, outKeys: Float32Array): number {
    const n = this.size;
    for (let i = n - 1; i >= 0; i--) {
      outRows[i] = this.topRow();
      outKeys[i] = this.topKey();
      this.pop();
    }
    return n;
  }

  private grow(): void {
    const keys = new Float32Array(this.keys.length * 2);
    const rows = new Int32Array(this.rows.length * 2);
    keys.set(this.keys);
    rows.set(this.rows);
    this.keys = keys;
    this.rows = rows;
  }
}
