import { availableParallelism } from 'node:os';
import type { Boundary, Metric } from '@hnswlab/core';
import type { PeerName } from '../peers/peer.js';

/** The serving workloads the lab measures beside the build matrix (`hnswlab bench --track NAME`). */
export type TrackName = 'filtered' | 'batch' | 'streaming';

export const TRACK_NAMES: readonly TrackName[] = ['filtered', 'batch', 'streaming'];

/** What one track run measures: one index (kernel, strategy, data) and the track's own knobs. */
export interface TrackSpec {
  track: TrackName;
  /** 'js' | 'wasm' | 'native' | a module specifier ('best' is resolved before a track runs). */
  kernel: string;
  /** The strategy that builds the index (streaming: that inserts each round's vectors too). */
  strategy: string;
  /** Absent: the kernel's default. */
  boundary?: Boundary;
  dataset: string;
  n: number;
  dim: number;
  metric: Metric;
  M: number;
  efConstruction: number;
  /** Beam widths: filtered sweeps them; batch measures each; streaming reads recall at each. */
  ef: number[];
  k: number;
  queries: number;
  seed: number;
  /** batch: searchBatch thread counts (ascending); the others build with the largest. */
  threads: number[];
  /** filtered: allowed fraction of the base, each as a random and a correlated filter. */
  selectivities: number[];
  /** streaming: rounds of delete / insert / search after the first half is built (≥ 10 for the target). */
  rounds: number;
  /** streaming: fraction of the live set deleted, and as many vectors inserted, per round. */
  churn: number;
  /** streaming: build the same live set from scratch every this many rounds (and at the last). */
  freshEvery: number;
  /** Peers measured beside the track (batch: usearch's multi-threaded search, hnswlib-node's one-thread search). */
  peers: PeerName[];
}

/** Thread counts 1, 2, … up to the cores here (at least 1 and 2). */
function threadLadder(): number[] {
  const cores = Math.max(2, availableParallelism());
  const out = [1, 2];
  for (let t = 4; t < cores; t *= 2) out.push(t);
  if (!out.includes(cores)) out.push(cores);
  return out;
}

const common = {
  kernel: 'best',
  strategy: 'batched',
  dataset: 'clustered',
  metric: 'l2' as Metric,
  M: 16,
  efConstruction: 200,
  k: 10,
  seed: 42,
  selectivities: [0.01, 0.1, 0.5],
  rounds: 10,
  churn: 0.1,
  freshEvery: 1,
};

/**
 * Each track's defaults: short enough for a few minutes on two cores (synthetic clustered data, the
 * best kernel); bigger runs by flag (`--datasets glove --sizes 100k`, `--queries`, `--rounds`).
 */
export const TRACK_DEFAULTS: Readonly<Record<TrackName, Omit<TrackSpec, 'track'>>> = {
  filtered: { ...common, n: 20_000, dim: 64, ef: [10, 20, 40, 80, 160, 320], queries: 200, threads: [1], peers: [] },
  batch: { ...common, n: 20_000, dim: 64, ef: [64], queries: 2000, threads: threadLadder(), peers: ['usearch', 'hnswlib-node'] },
  streaming: { ...common, n: 20_000, dim: 32, ef: [16, 64], queries: 200, threads: [1], peers: [] },
};

/** A short label: `filtered native/batched clustered n=20000 d=64 l2`. */
export function trackLabel(s: TrackSpec): string {
  return `${s.track} ${s.kernel}/${s.strategy}${s.boundary ? `@${s.boundary}` : ''} ${s.dataset} n=${s.n} d=${s.dim || 'file'} ${s.metric}`;
}
