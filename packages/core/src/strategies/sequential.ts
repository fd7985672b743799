import type { InsertStrategy } from '../contracts.js';

/** One vector at a time, exactly as repeated add() calls: store grows as needed, one row stored and linked per step. The baseline. */
export const sequential: InsertStrategy = {
  name: 'sequential',
  insert(index, vectors, ids) {
    const dim = index.dim;
    for (let i = 0; i < ids.length; i++) index.insertOne(vectors.subarray(i * dim, (i + 1) * dim), ids[i]);
  },
};
