import type { Boundary } from '@hnswlab/core';
import type { CellDataset, SCHEMA_VERSION } from '../cell-result.js';
import type { TrackName, TrackSpec } from './track-spec.js';

/** What every track result has: what ran, whether it could, and the build it measured. */
export interface TrackResultBase {
  schemaVersion: typeof SCHEMA_VERSION;
  kind: TrackName;
  /** trackLabel(spec). */
  id: string;
  status: 'ok' | 'unavailable' | 'failed';
  reason?: string;
  spec: TrackSpec;
  kernelName?: string;
  /** The boundary the index ran with. */
  boundary?: Boundary;
  dataset?: CellDataset;
  /** The build of the index the track searched (streaming: of its first half). */
  build?: { seconds: number; vectorsPerSecond: number; threads: number };
  startedAt: string;
  machine?: string;
  wallSeconds: number;
}

/** Search at one ef, with or without a filter. */
export interface FilteredPoint {
  ef: number;
  /** Mean recall@k against the exact k nearest allowed vectors, by distance. */
  recall: number;
  /** Queries per second, best of the timed passes, one thread. */
  qps: number;
  distanceEvalsPerQuery: number;
  /** Share of queries the index answered by its exact scan of the allowed rows (SearchResult.exact). */
  exactShare: number;
}

/** One filter of the filtered track. */
export interface FilterFigures {
  /** 'random': a seeded random subset; 'correlated': rows of whole clusters, or a seed row's nearest rows (see `how`). */
  kind: 'random' | 'correlated';
  /** Allowed fraction asked for. */
  selectivity: number;
  /** Base rows the filter allows. */
  allowed: number;
  /** How the allowed rows were chosen. */
  how: string;
  points: FilteredPoint[];
  /** Best QPS at recall ≥ 0.95 with this filter, and unfiltered, and their ratio (null when either misses 0.95). */
  qpsAt95: number | null;
  unfilteredQpsAt95: number | null;
  ratioAt95: number | null;
}

/** `--track filtered`: filtered search against unfiltered search at the same ef, on one index. */
export interface FilteredTrackResult extends TrackResultBase {
  kind: 'filtered';
  unfiltered?: FilteredPoint[];
  filters?: FilterFigures[];
}

/** One line of the batch track: QPS against threads for one way of answering the query set at one ef. */
export interface BatchSeries {
  /** `searchBatch`, `search() loop` (threads = 1), or a peer's batch or one-query search. */
  name: string;
  library: 'hnswlab' | 'hnswlib-node' | 'usearch';
  ef: number;
  points: Array<{ threads: number; qps: number; recall: number; speedup: number }>;
}

/** `--track batch`: searchBatch QPS against threads, beside usearch's multi-threaded search. */
export interface BatchTrackResult extends TrackResultBase {
  kind: 'batch';
  series?: BatchSeries[];
  /** Why a peer is missing from the series. */
  peerNotes?: string[];
}

/** The state after one round of the streaming runbook (round 0: after the first half was built). */
export interface StreamingRound {
  round: number;
  /** Live vectors after the round. */
  live: number;
  deleted: number;
  inserted: number;
  /** Seconds of the round's deletes and inserts (compactions the inserts triggered included). */
  updateSeconds: number;
  /** (deleted + inserted) / updateSeconds. */
  updatesPerSecond: number;
  /** Removed rows still in the graph after the round, and bytes compactions freed so far. */
  tombstones: number;
  reclaimedBytes: number;
  /** index.stats().bytes total / live vectors. */
  bytesPerLiveVector: number;
  /** recall@k over the live set, and QPS (one pass, one thread), at each ef of the spec. */
  recall: Array<{ ef: number; recall: number; qps: number }>;
  /** index.check() found no problem. */
  checkOk: boolean;
  /** A fresh build of the same live set (same parameters, ids in ascending order), when this round has one. */
  fresh?: { buildSeconds: number; vectorsPerSecond: number; bytesPerLiveVector: number; recall: Array<{ ef: number; recall: number }> };
}

/** `--track streaming`: insert half, then rounds of delete / insert / search, against fresh builds of the same live set. */
export interface StreamingTrackResult extends TrackResultBase {
  kind: 'streaming';
  rounds?: StreamingRound[];
}

export type TrackResult = FilteredTrackResult | BatchTrackResult | StreamingTrackResult;
