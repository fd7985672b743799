import type { InsertStrategy } from '../contracts.js';

/**
 * Capacity reserved once and every vector copied into the store in one pass, then rows linked one
 * at a time in this thread. Saves the per-vector storage work, not the graph work ("fake bulk" in
 * the predecessor's words): the honest baseline for the parallel strategies.
 */
export const batched: InsertStrategy = {
  name: 'batched',
  description: 'every row stored in one pass, then linked one at a time in this thread',
  link(build) {
    const end = build.firstRow + build.count;
    for (let row = build.firstRow; row < end; row++) build.linker.insert(row);
  },
};
