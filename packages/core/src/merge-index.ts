import { availableParallelism } from 'node:os';
import type { InsertStrategy } from './contracts.js';
import type { IndexState } from './index-state.js';
import { computeJoinSet } from './join-set.js';
import { runBatch } from './batch.js';
import { checkPositiveInt } from './validate.js';

/** Options of {@link HnswIndex.merge}. */
export interface MergeOptions {
  /** Worker threads to merge with (1: in the calling thread). Default os.availableParallelism(). */
  readonly threads?: number;
  /** Beam width of the seeded level-0 searches. Default min(3·M, efConstruction). */
  readonly mergeEf?: number;
  /** Also start seeded searches from the hints' own neighbours. Default false. */
  readonly mergeExpand?: boolean;
  /** Full insertions made in the calling thread before workers start, while the target is tiny. Default 256. */
  readonly warmupRows?: number;
}

/** What a merge did. */
export interface MergeReport {
  /** The ids added to the target, in the source's row order. */
  readonly ids: Uint32Array;
  /** Rows inserted with a full search from the entry point (the join set, and rows above level 0). */
  readonly fullInserts: number;
  /** Rows inserted by a level-0 search started from their source neighbours. */
  readonly seededInserts: number;
  /** Distances computed by the merge. */
  readonly distanceEvals: number;
  readonly seconds: number;
}

/** Checks merge options before anything is queued. */
export function checkMergeOptions(options: MergeOptions): void {
  if (options.threads !== undefined) checkPositiveInt('threads', options.threads);
  if (options.mergeEf !== undefined) checkPositiveInt('mergeEf', options.mergeEf);
  if (options.warmupRows !== undefined) checkPositiveInt('warmupRows', options.warmupRows, 0);
  if (options.mergeExpand !== undefined && typeof options.mergeExpand !== 'boolean') throw new TypeError('mergeExpand must be a boolean');
}

/**
 * Add every live vector of `source` to `target` under its id, as one batch of the target (all or
 * nothing): the vectors are stored with levels the target draws, then linked by the join-set merge
 * seeded from the source graph's level-0 lists (tombstoned rows and links to them left out).
 */
export async function mergeIndex(target: IndexState, source: IndexState, options: MergeOptions): Promise<MergeReport> {
  const g = source.graph,
    dim = source.params.dim;
  const live: number[] = [];
  for (let row = 0; row < g.count; row++) if (!g.deleted[row]) live.push(row);
  const n = live.length;
  const labels = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = g.labels[live[i]];
    if (target.rowOf.has(labels[i])) throw new RangeError(`cannot merge: id ${labels[i]} is in both indexes`);
  }
  if (n === 0) return { ids: labels, fullInserts: 0, seededInserts: 0, distanceEvals: 0, seconds: 0 };
  const vectors = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) vectors.set(source.space.read(live[i]), i * dim);

  // The source's level-0 lists over live rows, in batch-local rows.
  const localOf = new Int32Array(g.count).fill(-1);
  for (let i = 0; i < n; i++) localOf[live[i]] = i;
  const offsets = new Int32Array(n + 1);
  const local: number[] = [];
  for (let i = 0; i < n; i++) {
    const off = live[i] * g.stride0;
    for (let j = 1; j <= g.links0[off]; j++) {
      const v = localOf[g.links0[off + j]];
      if (v >= 0) local.push(v);
    }
    offsets[i + 1] = local.length;
  }
  const localNeighbors = Int32Array.from(local);
  const join = computeJoinSet(offsets, localNeighbors);
  const threads = options.threads ?? availableParallelism();
  let counts = { fullInserts: 0, seededInserts: 0 };

  const merge: InsertStrategy = {
    name: 'merge',
    async link(build) {
      const input = { offsets, neighbors: localNeighbors.map((v) => v + build.firstRow), join, linked: new Uint8Array(n) };
      const rest = { ef: options.mergeEf, expand: options.mergeExpand };
      counts =
        threads > 1
          ? await build.withWorkers({ threads, locking: true }, (workers) =>
              build.mergeRows(input, { ...rest, workers, warm: Math.max(0, (options.warmupRows ?? 256) - build.firstRow) }),
            )
          : await build.mergeRows(input, rest);
    },
  };
  await runBatch(target, vectors, labels, merge, {});
  const report = target.lastBatch!;
  return { ids: labels, ...counts, distanceEvals: report.distanceEvals, seconds: report.seconds };
}
