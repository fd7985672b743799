import type { Boundary, Phase, VectorStore } from './contracts.js';

// The run-time lists of the names the contracts define as types: help texts, the harness, the gate
// and the tests read them from here.

/** Insert phases, in the order they run. */
export const PHASES: readonly Phase[] = ['navigation', 'neighborSearch', 'connectionManagement', 'storage'];

/** Kernel boundaries, from most crossings to fewest. */
export const BOUNDARIES: readonly Boundary[] = ['pair', 'node', 'layer', 'insert'];

/** Vector stores, from most bytes per row to fewest. */
export const STORES: readonly VectorStore[] = ['f32', 'f16', 'i8', 'b1'];
