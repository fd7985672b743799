import type { HnswIndex } from '@hnswlab/core';

/** Link rows [start, end) with the index's own inserter, in the calling thread (no workers running). */
export function linkInThread(index: HnswIndex, start: number, end: number, faultRow: number): void {
  for (let row = start; row < end; row++) {
    if (row === faultRow) throw new Error(`injected fault at row ${row} (test hook faultAtRow)`);
    index.inserter.insert(row);
  }
}

/** Link rows [list[from], …, list[to − 1]] in the calling thread, flagging each as merged. */
export function linkListInThread(
  index: HnswIndex,
  list: Int32Array,
  from: number,
  to: number,
  merged: Uint8Array,
  first: number,
  faultRow: number,
): void {
  for (let i = from; i < to; i++) {
    linkInThread(index, list[i], list[i] + 1, faultRow);
    merged[list[i] - first] = 1;
  }
}
