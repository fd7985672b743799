import type { DistanceKernel } from '@hnswlab/core/contracts';
import { WasmKernel } from './wasm-kernel.js';

export { WasmKernel } from './wasm-kernel.js';
export type { WasmSpaceHandle } from './wasm-space.js';

/**
 * The WebAssembly SIMD kernel. Rejects, saying why, when the module is not built or the runtime
 * lacks WebAssembly SIMD or shared memory; the suites and benches print that reason and skip it.
 */
export async function createKernel(_options?: unknown): Promise<DistanceKernel> {
  return WasmKernel.load();
}
