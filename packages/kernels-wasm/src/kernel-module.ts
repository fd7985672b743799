import { readFile } from 'node:fs/promises';
import { wasmApi, type WasmMemory } from './wasm-api.js';

/** out[i] = distance(query, row ids[i]) for i < count; every argument is a byte address in the memory but dim and count. */
export type RowsFn = (query: number, base: number, dim: number, ids: number, out: number, count: number) => void;
/** distance(query, the row at byte address `row`). */
export type RowFn = (query: number, row: number, dim: number) => number;
/** The first i < count with distance(query, row ids[i]) < bound, or count. */
export type FirstNearerFn = (query: number, base: number, dim: number, ids: number, count: number, bound: number) => number;

/** The compiled AssemblyScript kernels (assembly/), instantiated over one space's memory. */
export interface KernelExports {
  readonly l2Rows: RowsFn;
  readonly l2Row: RowFn;
  readonly l2FirstNearer: FirstNearerFn;
  readonly dotRows: RowsFn;
  readonly dotRow: RowFn;
  readonly dotFirstNearer: FirstNearerFn;
  readonly ipRows: RowsFn;
  readonly ipRow: RowFn;
  readonly ipFirstNearer: FirstNearerFn;
}

const WASM_URL = new URL('./kernels.wasm', import.meta.url);
let compiled: Promise<object> | undefined;

/**
 * The compiled module, once per thread (WebAssembly.Module compiles are cached here, not per space).
 * Rejects with what is missing when the build output is absent or the runtime lacks SIMD or threads.
 */
export function loadKernelModule(): Promise<object> {
  compiled ??= compileKernels().catch((err: unknown) => {
    compiled = undefined;
    throw err;
  });
  return compiled;
}

async function compileKernels(): Promise<object> {
  if (!wasmApi) throw new Error('this runtime has no WebAssembly');
  let bytes: Uint8Array;
  try {
    bytes = await readFile(WASM_URL);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(`the wasm kernel is not built (${why}): run \`pnpm --filter @hnswlab/kernels-wasm build\` (AssemblyScript, from npm)`, {
      cause: err,
    });
  }
  if (!wasmApi.validate(bytes)) {
    throw new Error(
      'this runtime cannot run the wasm kernel: it needs WebAssembly SIMD (v128) and threads (shared memory), as in Node ≥ 16.4',
    );
  }
  return wasmApi.compile(bytes);
}

/** A new instance of the kernels over `memory`: one per space per thread, all sharing the memory. */
export function instantiateKernels(module: object, memory: WasmMemory): KernelExports {
  if (!wasmApi) throw new Error('this runtime has no WebAssembly');
  return new wasmApi.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
}
