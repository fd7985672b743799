import { readFile } from 'node:fs/promises';
import { wasmApi, type WasmMemory } from './wasm-api.js';

/** out[i] = distance(query, row ids[i]) for i < count; every argument is a byte address in the memory but dim and count. */
export type RowsFn = (query: number, base: number, dim: number, ids: number, out: number, count: number) => void;
/** distance(query, the row at byte address `row`). */
export type RowFn = (query: number, row: number, dim: number) => number;
/** The first i < count with distance(query, row ids[i]) < bound, or count. */
export type FirstNearerFn = (query: number, base: number, dim: number, ids: number, count: number, bound: number) => number;

/** i8: out[i] = distance(codes at q with P = p, row ids[i]); `terms` is the rows' P (Float64 per row). */
export type I8RowsFn = (
  q: number,
  p: number,
  base: number,
  terms: number,
  dim: number,
  ids: number,
  out: number,
  count: number,
  c: number,
  s: number,
  s2: number,
) => void;
export type I8RowFn = (
  q: number,
  p: number,
  base: number,
  terms: number,
  dim: number,
  row: number,
  c: number,
  s: number,
  s2: number,
) => number;
export type I8FirstNearerFn = (
  q: number,
  p: number,
  base: number,
  terms: number,
  dim: number,
  ids: number,
  count: number,
  bound: number,
  c: number,
  s: number,
  s2: number,
) => number;

/** distance(query, row) of a traversal's state at byte address `t`, counted. */
export type TraversalDistanceFn = (t: number, row: number) => number;
export type DescendFn = (t: number, entry: number, entryDist: number, top: number, bottom: number) => number;
export type SearchLayerFn = (
  t: number,
  entry: number,
  entryDist: number,
  ef: number,
  level: number,
  skipDeleted: boolean,
  exclude: number,
) => number;
export type SearchLayerFromFn = (t: number, count: number, ef: number, level: number, skipDeleted: boolean, exclude: number) => number;
export type SearchFn = (t: number, ef: number, skipDeleted: boolean) => number;
export type InsertFn = (t: number, row: number) => void;

/** One metric's fused traversal entry points (assembly/l2-traversal.ts, dot-traversal.ts). */
export interface TraversalFns {
  readonly distance: TraversalDistanceFn;
  readonly descend: DescendFn;
  readonly searchLayer: SearchLayerFn;
  readonly searchLayerFrom: SearchLayerFromFn;
  readonly search: SearchFn;
  readonly insert: InsertFn;
}

type Prefixed<P extends string> = { readonly [K in keyof TraversalFns as `${P}${Capitalize<K>}`]: TraversalFns[K] };

/** The compiled AssemblyScript kernels (assembly/), instantiated over one space's memory. */
export interface KernelExports extends Prefixed<'l2'>, Prefixed<'dot'>, Prefixed<'ip'>, Prefixed<'b1'> {
  readonly l2Rows: RowsFn;
  readonly l2Row: RowFn;
  readonly l2FirstNearer: FirstNearerFn;
  readonly dotRows: RowsFn;
  readonly dotRow: RowFn;
  readonly dotFirstNearer: FirstNearerFn;
  readonly ipRows: RowsFn;
  readonly ipRow: RowFn;
  readonly ipFirstNearer: FirstNearerFn;
  // Quantised stores (assembly/f16.ts, i8.ts, b1.ts). f16 and b1 take the f32 probes' signatures
  // (b1's `dim` is the row's word count); i8 takes the query's and the rows' P terms and C, s, s².
  readonly f16Decode: (row: number, out: number, dim: number) => void;
  readonly f16L2Rows: RowsFn;
  readonly f16L2Row: RowFn;
  readonly f16L2FirstNearer: FirstNearerFn;
  readonly f16DotRows: RowsFn;
  readonly f16DotRow: RowFn;
  readonly f16DotFirstNearer: FirstNearerFn;
  readonly b1Rows: RowsFn;
  readonly b1Row: RowFn;
  readonly b1FirstNearer: FirstNearerFn;
  readonly i8L2Rows: I8RowsFn;
  readonly i8L2Row: I8RowFn;
  readonly i8L2FirstNearer: I8FirstNearerFn;
  readonly i8DotRows: I8RowsFn;
  readonly i8DotRow: I8RowFn;
  readonly i8DotFirstNearer: I8FirstNearerFn;
  /** Writes the state block's field offsets at `out` (Int32 each, in declaration order); returns its size. */
  readonly traversalLayout: (out: number) => number;
}

/** What the module imports besides the memory: a clock and the space's allocator (for the growing candidate heap). */
export interface KernelImports {
  /** Seconds from a high-resolution clock (performance.now() / 1000). */
  now(): number;
  /** A block of at least `bytes` bytes of the memory; returns its address. */
  carve(bytes: number): number;
  /** Give back a block from carve. */
  release(at: number, bytes: number): void;
}

/** One metric's traversal entry points, picked once. */
export function traversalFns(k: KernelExports, prefix: 'l2' | 'dot' | 'ip' | 'b1'): TraversalFns {
  return {
    distance: k[`${prefix}Distance`],
    descend: k[`${prefix}Descend`],
    searchLayer: k[`${prefix}SearchLayer`],
    searchLayerFrom: k[`${prefix}SearchLayerFrom`],
    search: k[`${prefix}Search`],
    insert: k[`${prefix}Insert`],
  };
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
export function instantiateKernels(module: object, memory: WasmMemory, imports: KernelImports): KernelExports {
  if (!wasmApi) throw new Error('this runtime has no WebAssembly');
  const { now, carve, release } = imports;
  return new wasmApi.Instance(module, { env: { memory, now, carve, release } }).exports as unknown as KernelExports;
}
