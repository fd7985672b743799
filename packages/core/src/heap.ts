// Binary heaps of (distance, row) pairs over typed arrays: no objects per entry, no allocation
// once warm. Ties break on the row so results are deterministic.

abstract class PairHeap {
  keys: Float32Array;
  rows: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.keys = new Float32Array(Math.max(4, capacity));
    this.rows = new Int32Array(Math.max(4, capacity));
  }

  clear(): void {
    this.size = 0;
  }

  topKey(): number {
    return this.keys[0];
  }

  topRow(): number {
    return this.rows[0];
  }

  /** true when (ka, ra) belongs above (kb, rb). */
  protected abstract above(ka: number, ra: number, kb: number, rb: number): boolean;

  push(key: number, row: number): void {
    if (this.size === this.keys.length) this.grow();
    const keys = this.keys, rows = this.rows;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.above(key, row, keys[parent], rows[parent])) break;
      keys[i] = keys[parent];
      rows[i] = rows[parent];
      i = parent;
    }
    keys[i] = key;
    rows[i] = row;
  }

  /** Removes the top; read it with topKey()/topRow() first. */
  pop(): void {
    const keys = this.keys, rows = this.rows;
    const n = --this.size;
    if (n <= 0) return;
    const key = keys[n], row = rows[n];
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && this.above(keys[child + 1], rows[child + 1], keys[child], rows[child])) child++;
      if (!this.above(keys[child], rows[child], key, row)) break;
      keys[i] = keys[child];
      rows[i] = rows[child];
      i = child;
    }
    keys[i] = key;
    rows[i] = row;
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

/** Nearest on top: the candidates still to expand. */
export class MinHeap extends PairHeap {
  protected above(ka: number, ra: number, kb: number, rb: number): boolean {
    return ka < kb || (ka === kb && ra < rb);
  }
}

/** Farthest on top: the best ef results so far, worst first so it can be evicted. */
export class MaxHeap extends PairHeap {
  protected above(ka: number, ra: number, kb: number, rb: number): boolean {
    return ka > kb || (ka === kb && ra > rb);
  }

  /** Empties the heap into rows/keys sorted nearest first; returns the count. */
  drainAscending(outRows: Int32Array, outKeys: Float32Array): number {
    const n = this.size;
    for (let i = n - 1; i >= 0; i--) {
      outRows[i] = this.topRow();
      outKeys[i] = this.topKey();
      this.pop();
    }
    return n;
  }
}
