import type { Metric } from '@hnswlab/core';

/** The names of the reference libraries the harness can run beside hnswlab. */
export type PeerName = 'hnswlib-node' | 'usearch';

export const PEER_NAMES: readonly PeerName[] = ['hnswlib-node', 'usearch'];

/** What a peer builds from: the same data and parameters as the hnswlab cells beside it. */
export interface PeerBuildOptions {
  dim: number;
  metric: Metric;
  M: number;
  efConstruction: number;
  threads: number;
  seed: number;
}

/** A built peer index, driven through the same search measurement as ours. */
export interface PeerIndex {
  setEf(ef: number): void;
  search(query: Float32Array, k: number): { distances: ArrayLike<number> };
  /** The whole query set (row-major) in one call on `threads` threads, for libraries that have one: distances, k per query. */
  searchBatch?(queries: Float32Array, k: number, threads: number): { distances: Float32Array };
  /** The index's own size in bytes (serialised size where the library reports none). */
  bytes(): number;
  /** Write the index to `file` with the library's own save. */
  save(file: string): void;
  /** Read `file` (from save) into a new index of the same configuration with the library's own load, then let it go. */
  loadCopy(file: string): void;
  dispose(): void;
}

/** A loaded peer library. */
export interface Peer {
  readonly name: PeerName;
  readonly version: string;
  /** Threads it builds with at most (hnswlib-node's binding is single-threaded). */
  readonly maxThreads: number;
  build(base: Float32Array, n: number, options: PeerBuildOptions): PeerIndex;
}
