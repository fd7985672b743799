import type { Phase } from '@hnswlab/core';
import type { CellSpec } from './cell-spec.js';

/** Version of the JSON written for cells and reports (SCHEMA.md). Bumped on any incompatible change. */
export const SCHEMA_VERSION = 1;

/** The insert phases, in report order. */
export const PHASES: readonly Phase[] = ['navigation', 'neighborSearch', 'connectionManagement', 'storage'];

/** Build figures of one cell. Counts come from the index's counters and are identical across repeats. */
export interface BuildResult {
  /** Median wall-clock seconds of the repeats (addBatch of all n vectors into an empty index). */
  seconds: number;
  /** Every repeat's seconds, in run order. */
  secondsPerRepeat: number[];
  /** n / seconds. */
  vectorsPerSecond: number;
  /** Distance evaluations per inserted vector (null for peers, which do not count them). */
  distanceEvalsPerInsert: number | null;
  /** Link lists expanded per inserted vector (null for peers). */
  nodesVisitedPerInsert: number | null;
  /** Seconds per insert phase, summed over every thread (null for peers). */
  phaseSeconds: Record<Phase, number> | null;
  /** Each phase's share of the summed phase time (sums to 1; null for peers). */
  phaseShares: Record<Phase, number> | null;
  /** Seconds threads spent waiting for node locks, summed over threads (0 for single-thread strategies; null for peers). */
  lockWaitSeconds: number | null;
  /**
   * Threads that inserted: the workers of a strategy that uses them, 1 for one that runs on the
   * calling thread (sequential, batched) whatever `spec.threads` asked; for peers, the threads given
   * to the library. Absent in reports written before it was recorded (read as spec.threads).
   */
  threads?: number;
}

/** Search figures at one ef. */
export interface SearchPoint {
  ef: number;
  /** Mean recall@k over the queries, counted by distance (ann-benchmarks style). */
  recall: number;
  /** Queries per second, best of `passes` passes over the query set (single thread). */
  qps: number;
  /** Per-query latency in milliseconds over all passes. */
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  /** Distance evaluations per query (null for peers). */
  distanceEvalsPerQuery: number | null;
  passes: number;
}

/** Memory figures of the index kept after the last build. */
export interface MemoryResult {
  /** Vectors inserted. */
  vectors: number;
  /** The index's own account (index.stats().bytes, or the peer's reported size), in bytes. */
  indexBytes: { vectors: number; graph: number; other: number; total: number };
  /** indexBytes divided by the vector count. */
  bytesPerVector: { vectors: number; graph: number; other: number; total: number };
  /** n · dim · 4: the float32 vectors alone. */
  rawVectorBytes: number;
  /** indexBytes.total / rawVectorBytes. */
  indexToRawRatio: number;
  /**
   * The process's peak resident set while the index was built, in bytes: from a reset of the peak
   * just before the build ('build', Linux) or the process's lifetime peak ('process', elsewhere).
   * It includes the process's baseline (Node, the data, the ground truth), not the index alone.
   */
  peakRssBytes?: number;
  peakRssScope?: 'build' | 'process';
  /** Resident set just before the build, after a forced GC. */
  rssBeforeBytes?: number;
  /** Growth of process.memoryUsage() across the build, each side measured after a forced GC (can be negative: garbage freed). */
  rssGrowthBytes: number;
  /** Includes ArrayBuffers, SharedArrayBuffers and WebAssembly.Memory (which `arrayBuffers` misses). */
  externalGrowthBytes: number;
  arrayBuffersGrowthBytes: number;
  heapUsedGrowthBytes: number;
  /** rssGrowthBytes / rawVectorBytes. */
  rssToRawRatio: number;
  /** Whether a GC could be forced; without one the growth figures include garbage. */
  gcForced: boolean;
  /** 'stats': the index's own account; 'serialized': a peer's saved file size, split as raw vectors + the rest (graph). */
  indexBytesSource: 'stats' | 'serialized';
}

/** What a cell's data was, after loading (file datasets fix their own dimension). */
export interface CellDataset {
  id: string;
  name: string;
  n: number;
  dim: number;
  queries: number;
  /** sha256 (hex, first 16) of base and query bytes: the ground-truth cache key. */
  hash: string;
  /** Where the exact neighbours came from. */
  groundTruth: 'computed' | 'cache' | 'file';
}

/** Everything one cell measured. `status` other than 'ok' leaves the figures out and says why in `reason`. */
export interface CellResult {
  schemaVersion: typeof SCHEMA_VERSION;
  /** cellLabel(spec). */
  id: string;
  /** 'hnswlab' for our cells; the peer's package name for reference rows. */
  library: 'hnswlab' | 'hnswlib-node' | 'usearch';
  status: 'ok' | 'unavailable' | 'failed';
  /** Why the cell is unavailable or failed, e.g. "unavailable: cannot find module '@hnswlab/kernels-native'". */
  reason?: string;
  spec: CellSpec;
  /** The code path that ran, as the kernel names it (e.g. 'js', 'wasm-simd128'), or the peer and its version. */
  kernelName?: string;
  dataset?: CellDataset;
  build?: BuildResult;
  /** One point per ef of the sweep, ascending ef. */
  search?: SearchPoint[];
  memory?: MemoryResult;
  /** ISO time the cell started. */
  startedAt: string;
  /** The label of the machine that measured it (`MachineInfo.label`); set by runMatrix. */
  machine?: string;
  /** Wall-clock seconds the whole cell took (data, ground truth, builds, searches). */
  wallSeconds: number;
}
