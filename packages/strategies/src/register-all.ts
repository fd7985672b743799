import { registerMerger, registerStrategy } from '@hnswlab/core';
import { mergeIndexes } from './merge-indexes.js';
import { parallel } from './parallel.js';
import { rounds } from './rounds.js';
import { segmented } from './segmented.js';

/** Make `parallel`, `segmented` and `rounds` selectable by name in addBatch, and index.merge available. Idempotent. */
export function registerAll(): void {
  registerStrategy(parallel);
  registerStrategy(segmented);
  registerStrategy(rounds);
  registerMerger(mergeIndexes);
}
