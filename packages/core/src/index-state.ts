import type { Boundary, DistanceKernel, Metric, MetricSpec, VectorSpace } from './contracts.js';
import { Counters } from './counters.js';
import { Graph } from './graph.js';
import { Inserter } from './inserter.js';
import { Rng } from './rng.js';
import type { BatchReport } from './batch-report.js';
import { now, type CounterValues } from './counters.js';
import { drawLevel } from './rng.js';

/** What an index is made of; everything the public class, batches, merges and files work on. */
export interface IndexParams {
  readonly dim: number;
  readonly metric: Metric;
  readonly M: number;
  readonly efConstruction: number;
  readonly efSearch: number;
  readonly seed: number;
  readonly kernel: DistanceKernel;
  readonly boundary: Boundary;
  readonly capacity: number;
  readonly timing: boolean;
}

/** A batch in flight: its rows, and what undoing it needs. */
export interface Plan {
  readonly firstRow: number;
  readonly count: number;
  readonly labels: Uint32Array;
  /** The batch's vectors, row-major: a private copy, taken when addBatch was called. */
  readonly vectors: Float32Array;
  readonly savedHeader: Int32Array;
  readonly prevNextId: number;
  readonly prevRngState: number;
  readonly prevCounters: CounterValues;
}

/** Each index's state, for core modules and the test-only module (the public class keeps it private). */
export const STATES = new WeakMap<object, IndexState>();

/**
 * The index's state, kept out of the public class (which holds it in a #private field): the kernel's
 * space, the graph in its regions, the main thread's linker, the id map and the generator. Strategies
 * never see it; they get a BuildContext.
 */
export class IndexState {
  readonly space: VectorSpace;
  readonly graph: Graph;
  readonly counters: Counters;
  /** The main thread's linker and searcher. */
  readonly inserter: Inserter;
  readonly rowOf = new Map<number, number>();
  readonly rng: Rng;
  readonly levelMult: number;
  nextId = 0;
  live = 0;
  lastBatch: BatchReport | undefined;

  constructor(
    readonly params: IndexParams,
    readonly metricSpec: MetricSpec,
  ) {
    const { kernel, dim, metric, M, capacity } = params;
    this.space = kernel.createSpace({ dim, metric, capacity });
    this.graph = Graph.create(this.space, M, capacity);
    this.counters = new Counters(params.timing);
    this.inserter = new Inserter(this.graph, this.space, this.counters, {
      efConstruction: params.efConstruction,
      locking: false,
      boundary: params.boundary,
    });
    this.rng = new Rng(params.seed);
    this.levelMult = 1 / Math.log(M);
  }

  /** Allocate the batch's rows, draw their levels (in row order, from the index's seeded generator), store them, start the undo log. */
  beginBatch(vectors: Float32Array, labels: Uint32Array, store: boolean): Plan {
    const c = this.counters,
      g = this.graph;
    const count = labels.length;
    const t0 = c.timing ? now() : 0;
    const plan: Plan = {
      firstRow: g.count,
      count,
      labels,
      vectors,
      savedHeader: g.header.slice(),
      prevNextId: this.nextId,
      prevRngState: this.rng.seed,
      prevCounters: c.values(),
    };
    const levels = new Uint8Array(count);
    let touchBound = 0;
    for (let i = 0; i < count; i++) {
      levels[i] = drawLevel(this.rng, this.levelMult);
      touchBound += g.M0 + levels[i] * g.M;
    }
    if (store) {
      this.space.reserve(plan.firstRow + count);
      this.space.write(plan.firstRow, vectors, count, 0);
    }
    g.allocate(levels, labels);
    for (let i = 0; i < count; i++) {
      this.rowOf.set(labels[i], plan.firstRow + i);
      if (labels[i] >= this.nextId) this.nextId = labels[i] + 1;
    }
    g.beginUndo(plan.firstRow, touchBound);
    // After the last region that may move (beginUndo can re-carve the log): a fused traversal holds addresses.
    this.inserter.fit();
    if (c.timing) c.storage += now() - t0;
    return plan;
  }

  rollback(plan: Plan): void {
    this.graph.rollback(plan.savedHeader);
    for (const label of plan.labels) this.rowOf.delete(label);
    this.nextId = plan.prevNextId;
    this.rng.restore(plan.prevRngState);
    // Work done stays counted; rows that were not committed are not inserts.
    this.counters.inserts = plan.prevCounters.inserts;
  }
}
