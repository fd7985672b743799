import type { Phase } from './contracts.js';
import { Batch } from './batch.js';
import { HnswIndex } from './hnsw-index.js';
import { IndexState } from './index-state.js';
import { Inserter } from './inserter.js';
import { Searcher } from './searcher.js';

/**
 * Which phase each function of the insert path belongs to, for turning a CPU profile into phase
 * shares. Kept beside the code it describes; a test fails when a listed method no longer exists.
 * Keys are `Class.method` as V8 names the frames.
 * Frames not listed are attributed to the phase of their nearest listed caller. Fused kernels'
 * frames are the kernel's: their phase time comes from the kernel's own timers.
 */
export const PHASE_FUNCTIONS: Readonly<Record<string, Phase>> = {
  'Searcher.greedy': 'navigation',
  'Searcher.descend': 'navigation',
  'Searcher.searchLayer': 'neighborSearch',
  'Searcher.expand': 'neighborSearch',
  'Searcher.gatherUnvisited': 'neighborSearch',
  'Searcher.searchLayerFrom': 'neighborSearch',
  'Searcher.drain': 'neighborSearch',
  'Inserter.selectNeighbors': 'connectionManagement',
  'Inserter.connect': 'connectionManagement',
  'Inserter.addBackLinks': 'connectionManagement',
  'Inserter.backLinks': 'connectionManagement',
  'Inserter.writeLinks': 'connectionManagement',
  'Inserter.distancesFrom': 'connectionManagement',
  'IndexState.beginBatch': 'storage',
  'Batch.storeRow': 'storage',
};

/** The classes the `Class.method` names above refer to, so the test can check each method is still there. */
export const PHASE_CLASSES: Readonly<Record<string, { prototype: object }>> = { Searcher, Inserter, IndexState, Batch, HnswIndex };
