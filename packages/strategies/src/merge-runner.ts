import type { HnswIndex } from '@hnswlab/core';
import type { BatchRecorder } from './batch-report.js';
import { control } from './control.js';
import { linkListInThread } from './link-in-thread.js';
import type { ResolvedOptions } from './strategy-options.js';
import { sumBusy, type Job } from './worker-pool.js';

/**
 * Batch rows [first, first + count) to merge into the graph, with their source neighbours (CSR over
 * row − first, as graph rows of the same batch) and the join set of their source graphs.
 */
export interface MergeInput {
  readonly first: number;
  readonly count: number;
  readonly offsets: Int32Array;
  readonly neighbors: Int32Array;
  /** 1 for rows in the join set. */
  readonly join: Uint8Array;
  /** Shared flags, 1 once a row is linked into the graph; rows already linked start at 1 and are skipped. */
  readonly merged: Uint8Array;
}

export interface MergeCounts {
  readonly fullInserts: number;
  readonly seededInserts: number;
}

/** A SharedArrayBuffer-backed copy, so every worker reads the same memory. */
export function shared<T extends Int32Array | Uint8Array>(a: T): T {
  const Ctor = a.constructor as { new (b: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number };
  const s = new Ctor(new SharedArrayBuffer(Math.max(1, a.length) * Ctor.BYTES_PER_ELEMENT));
  (s as Int32Array).set(a);
  return a.length === 0 ? (s.subarray(0, 0) as T) : s;
}

/**
 * Merge rows into the index's graph with the job's (locking) workers: first the join set and every
 * row above level 0 by full insertion, then every other row by a level-0 search seeded from its
 * source neighbours already linked ({@link seededMerge}). `warm` full rows go first in this thread
 * (for an empty graph).
 */
export async function runMerge(
  index: HnswIndex,
  job: Job,
  input: MergeInput,
  opts: ResolvedOptions,
  faultRow: number,
  rec: BatchRecorder,
  warm: number,
): Promise<MergeCounts> {
  const { first, count, join, merged } = input;
  const levels = index.graph.levels;
  const fullList: number[] = [],
    seededList: number[] = [];
  for (let i = 0; i < count; i++) {
    if (merged[i]) continue;
    (join[i] || levels[first + i] > 0 ? fullList : seededList).push(first + i);
  }
  const full = shared(Int32Array.from(fullList));
  const seeded = shared(Int32Array.from(seededList));
  const offsets = shared(input.offsets),
    neighbors = shared(input.neighbors);
  const ef = opts.mergeEf ?? Math.min(3 * index.M, index.efConstruction);

  const w = Math.min(warm, full.length);
  if (w > 0) await rec.stage('merge-full', w, () => linkListInThread(index, full, 0, w, merged, first, faultRow));
  if (full.length > w) {
    const ctl = control(w);
    const task = {
      kind: 'insert',
      ctl,
      start: w,
      end: full.length,
      rows: full.buffer as unknown as SharedArrayBuffer,
      merged: merged.buffer as SharedArrayBuffer,
      first,
      faultRow,
    } as const;
    await rec.stage('merge-full', full.length - w, async () => sumBusy(await job.runEach(() => task)));
  }
  let fallbacks = 0;
  if (seeded.length > 0) {
    const ctl = control(0);
    const task = {
      kind: 'seeded',
      ctl,
      start: 0,
      end: seeded.length,
      rows: seeded.buffer as unknown as SharedArrayBuffer,
      first,
      offsets: offsets.buffer as SharedArrayBuffer,
      neighbors: neighbors.buffer as SharedArrayBuffer,
      merged: merged.buffer as SharedArrayBuffer,
      ef,
      expand: opts.mergeExpand,
      faultRow,
    } as const;
    await rec.stage('merge-seeded', seeded.length, async () => {
      const outcomes = await job.runEach(() => task);
      for (const o of outcomes) if (o) fallbacks += o.result as number;
      return sumBusy(outcomes);
    });
  }
  const counts = { fullInserts: full.length + fallbacks, seededInserts: seeded.length - fallbacks };
  rec.extra.fullInserts = (rec.extra.fullInserts ?? 0) + counts.fullInserts;
  rec.extra.seededInserts = (rec.extra.seededInserts ?? 0) + counts.seededInserts;
  rec.extra.mergeEf = ef;
  return counts;
}
