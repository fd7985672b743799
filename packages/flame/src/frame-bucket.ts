import type { Phase } from '@hnswlab/core';
import { isFusedKernelFrame, isKernelFrame } from '@hnswlab/harness';
// Which frames are the kernel's is the harness's rule (kernel-frames.ts): its JS-side share and this
// tool's kernel bucket draw the line in the same place.
import type { Bucket } from './attribution.js';
import type { CallFrame } from './cpu-profile.js';

/**
 * A fused traversal's wrapper frame (`NativeTraversal.searchLayer`, `WasmTraversal.descend`): which
 * phase the core's timers put the call in, when the kernel shows no frames of its own (an addon's C++
 * is self time of the wrapper). The wrapper of a whole insert (`insert`) spans every phase: its own
 * time is split by the kernel's phase timers instead (AttributeOptions.fusedInsertShares).
 */
export const FUSED_METHOD_PHASES: Readonly<Record<string, Phase>> = {
  setQueryRow: 'navigation',
  distance: 'navigation',
  descend: 'navigation',
  searchLayer: 'neighborSearch',
  searchLayerFrom: 'neighborSearch',
};

/**
 * The phase of a fused traversal's wrapper frame, if its method names one (see FUSED_METHOD_PHASES).
 * Only a traversal class's methods (`…Traversal.method`): a probe's `setQueryRow` or `distance` in a
 * kernel package is a distance call, in the phase of whoever called it.
 */
export function fusedPhase(frame: CallFrame, qualifiedName: string): Phase | undefined {
  return isFusedKernelFrame(frame) && /Traversal\.\w+$/.test(qualifiedName) && Object.hasOwn(FUSED_METHOD_PHASES, frame.functionName)
    ? FUSED_METHOD_PHASES[frame.functionName]
    : undefined;
}

/** The wrapper of a whole fused insert (`…Traversal.insert`: one call per inserted vector). */
export function isFusedInsertFrame(frame: CallFrame, qualifiedName: string): boolean {
  return frame.functionName === 'insert' && isFusedKernelFrame(frame) && /Traversal\.insert$/.test(qualifiedName);
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

/**
 * The bucket a frame names by itself, or undefined when it inherits its caller's: the phase table
 * first (by `Class.method`, or by the bare name for keys without a dot), then kernel frames, then GC.
 */
export function frameBucket(frame: CallFrame, qualifiedName: string, phaseFunctions: Readonly<Record<string, Phase>>): Bucket | undefined {
  if (Object.hasOwn(phaseFunctions, qualifiedName)) return phaseFunctions[qualifiedName];
  if (Object.hasOwn(phaseFunctions, frame.functionName)) return phaseFunctions[frame.functionName];
  if (isKernelFrame(frame)) return 'kernel';
  if (frame.functionName === '(garbage collector)') return 'gc';
  return undefined;
}
