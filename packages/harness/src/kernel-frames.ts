// Which frames of a V8 CPU profile are the kernel's: read by the harness (the JS-side share of a
// build) and by @hnswlab/flame (its kernel bucket), so both draw the line in the same place.

/** The part of a profile's call frame these rules read. */
export interface FrameName {
  readonly functionName: string;
  readonly url: string;
}

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
export function isFusedKernelFrame(frame: FrameName): boolean {
  return FUSED_METHODS.has(frame.functionName) && /\/kernels-[^/]+\//.test(frame.url);
}

/** A WebAssembly frame: V8 names them by the module's function names or `wasm-function[i]`, under a `wasm://` url. */
export function isWasmFrame(frame: FrameName): boolean {
  return frame.url.startsWith('wasm://') || /^(wasm-function\[|\$|js-to-wasm|wasm-to-js)/.test(frame.functionName);
}

/** A frame whose time is the kernel's: a probe method, a wasm frame, or a fused traversal's wrapper (what they call is the kernel's too). */
export function isKernelFrame(frame: FrameName): boolean {
  return KERNEL_METHODS.has(frame.functionName) || isWasmFrame(frame) || isFusedKernelFrame(frame);
}
