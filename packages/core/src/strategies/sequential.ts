import type { InsertStrategy } from '../contracts.js';

/** One vector at a time, exactly as repeated add() calls: each row stored (the store growing as needed), then linked. The baseline. */
export const sequential: InsertStrategy = {
  name: 'sequential',
  description: 'one row at a time, stored then linked, as repeated add() calls',
  storesRows: true,
  link(build) {
    for (let i = 0; i < build.count; i++) build.linker.insert(build.storeRow(i));
  },
};
