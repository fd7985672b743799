import type { Boundary, Phase } from './contracts.js';

// The run-time lists of the names the contracts define as types: help texts, the harness, the gate
// and the tests read them from here.

/** Insert phases, in the order they run. */
export const PHASES: readonly Phase[] = ['navigation', 'neighborSearch', 'connectionManagement', 'storage'];

/** Kernel boundaries, from most crossings to fewest. */
export const BOUNDARIES: readonly Boundary[] = ['pair', 'node', 'layer', 'insert'];
