import type { InsertStrategy } from '../contracts.js';

/**
 * Capacity reserved once and every vector copied into the store in one pass, then rows linked one
 * at a time in this thread. Saves the per-vector storage work, not the graph work ("fake bulk" in
 * the predecessor's words): the honest baseline for the parallel strategies.
 */
export const batched: InsertStrategy = {
  name: 'batched',
  insert(index, vectors, ids) {
    const plan = index.beginBatch(vectors, ids, false);
    const end = plan.firstRow + plan.count;
    for (let row = plan.firstRow; row < end; row++) index.inserter.insert(row);
    index.commitBatch(plan);
  },
};
