import type { Phase } from '@hnswlab/core';
import type { Bucket } from './attribution.js';
import type { CallFrame } from './cpu-profile.js';

/**
 * The DistanceProbe methods: whichever kernel runs, its distance calls enter through these names
 * (JS classes, wasm glue or native functions bound under the same names).
 */
export const KERNEL_METHODS: ReadonlySet<string> = new Set(['toRows', 'toRow', 'setQuery', 'setQueryRow', 'rowToRows', 'firstNearer']);

/**
 * The FusedTraversal methods. Their bare names are common (Inserter.insert, HnswIndex.search), so
 * they name kernel frames only in a kernel package's code (`kernels-native`, `kernels-wasm`, …): the
 * wrapper that calls into the addon or module, where a profile puts the fused call's time (V8 shows
 * no frame for an N-API callback).
 */
export const FUSED_METHODS: ReadonlySet<string> = new Set([
  'setQueryRow',
  'distance',
  'descend',
  'searchLayer',
  'searchLayerFrom',
  'search',
  'insert',
]);

/** A fused traversal's call, in a kernel package's code. */
export function isFusedKernelFrame(frame: CallFrame): boolean {
  return FUSED_METHODS.has(frame.functionName) && /\/kernels-[^/]+\//.test(frame.url);
}

/**
 * The wasm kernel's fused traversal (packages/kernels-wasm/assembly), by the names its name section
 * gives V8 (generic instances carry a `<metric>` suffix): the phase each function's time belongs to
 * in the timer view, as the kernel's own phase timers count it. Their frames stay in the kernel
 * bucket. `insert<…>` spans every phase and is not listed: its own time goes to the phase in progress.
 */
export const WASM_PHASE_FUNCTIONS: Readonly<Record<string, Phase>> = {
  'assembly/search/greedy': 'navigation',
  'assembly/search/descend': 'navigation',
  'assembly/search/searchLayer': 'neighborSearch',
  'assembly/search/searchLayerFrom': 'neighborSearch',
  'assembly/search/expand': 'neighborSearch',
  'assembly/search/drain': 'neighborSearch',
  'assembly/insert/selectNeighbors': 'connectionManagement',
  'assembly/insert/backLink': 'connectionManagement',
  'assembly/undo-log/noteWrite': 'connectionManagement',
};

/** The phase of a fused wasm function from its frame name (`wasm:assembly/search/expand<…>`), if it is listed. */
export function wasmPhase(name: string): Phase | undefined {
  const bare = name.replace(/^wasm:/, '').replace(/<.*$/, '');
  return Object.hasOwn(WASM_PHASE_FUNCTIONS, bare) ? WASM_PHASE_FUNCTIONS[bare] : undefined;
}

/** A WebAssembly frame: V8 names them by the module's function names or `wasm-function[i]`, under a `wasm://` url. */
export function isWasmFrame(frame: CallFrame): boolean {
  return frame.url.startsWith('wasm://') || /^(wasm-function\[|\$|js-to-wasm|wasm-to-js)/.test(frame.functionName);
}

/**
 * The bucket a frame names by itself, or undefined when it inherits its caller's: the phase table
 * first (by `Class.method`, or by the bare name for keys without a dot), then kernel frames, then GC.
 */
export function frameBucket(frame: CallFrame, qualifiedName: string, phaseFunctions: Readonly<Record<string, Phase>>): Bucket | undefined {
  if (Object.hasOwn(phaseFunctions, qualifiedName)) return phaseFunctions[qualifiedName];
  if (Object.hasOwn(phaseFunctions, frame.functionName)) return phaseFunctions[frame.functionName];
  if (KERNEL_METHODS.has(frame.functionName) || isWasmFrame(frame) || isFusedKernelFrame(frame)) return 'kernel';
  if (frame.functionName === '(garbage collector)') return 'gc';
  return undefined;
}
