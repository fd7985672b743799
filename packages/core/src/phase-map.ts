import { HnswIndex } from './hnsw-index.js';
import { Inserter } from './inserter.js';
import { Searcher } from './searcher.js';
import type { Phase } from './contracts.js';

/**
 * Which phase each function of the insert path belongs to, for turning a CPU profile into phase
 * shares. Kept beside the code it describes; a test fails when a listed method no longer exists.
 * Keys are `Class.method` as V8 names the frames (`method` alone for inlined or short names).
 * Frames not listed are attributed to the phase of their nearest listed caller.
 */
export const PHASE_FUNCTIONS: Readonly<Record<string, Phase>> = {
  'Searcher.greedy': 'navigation',
  'Searcher.searchLayer': 'neighborSearch',
  'Searcher.expand': 'neighborSearch',
  'Searcher.gatherUnvisited': 'neighborSearch',
  // Added for @hnswlab/flame: both run inside the neighborSearch timer (Inserter.insert, insertFrom).
  'Searcher.searchLayerFrom': 'neighborSearch',
  'Inserter.sortedCandidates': 'neighborSearch',
  'Inserter.selectNeighbors': 'connectionManagement',
  'Inserter.connect': 'connectionManagement',
  'Inserter.reprune': 'connectionManagement',
  'HnswIndex.beginBatch': 'storage',
};

/** The classes the names above refer to, so the test can check each method is still there. */
export const PHASE_CLASSES: Readonly<Record<string, { prototype: object }>> = { Searcher, Inserter, HnswIndex };
