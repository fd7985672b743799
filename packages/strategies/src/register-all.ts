import { registerStrategy } from '@hnswlab/core';
import { parallel } from './parallel.js';
import { rounds } from './rounds.js';
import { segmented } from './segmented.js';

/** Make `parallel`, `segmented` and `rounds` selectable by name in addBatch. Idempotent. */
export function registerAll(): void {
  registerStrategy(parallel);
  registerStrategy(segmented);
  registerStrategy(rounds);
}
