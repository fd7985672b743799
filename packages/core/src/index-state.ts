import type {
  Boundary,
  DistanceKernel,
  DistanceProbe,
  Metric,
  MetricSpec,
  Quantiser,
  QuantisedSpace,
  VectorSpace,
  VectorStore,
} from './contracts.js';
import { Counters } from './counters.js';
import { Graph } from './graph.js';
import { Inserter } from './inserter.js';
import { Rng } from './rng.js';
import type { BatchReport } from './batch-report.js';
import { now, type CounterValues } from './counters.js';
import { drawLevel } from './rng.js';
import { learnFrom } from './stores/quantiser.js';
import { storeSpec } from './stores/store-spec.js';

/**
 * A fused boundary ('layer', 'insert') on a space without a fused traversal (a kernel may fuse only
 * some stores: the native kernel fuses f32 only) falls back to 'node', the kernel's probes one call
 * per expanded node: the same graph and answers, more crossings. Workers and `index.boundary` see the
 * boundary that runs.
 */
function withoutFusion(params: IndexParams, space: VectorSpace): IndexParams {
  const fused = params.boundary === 'layer' || params.boundary === 'insert';
  return fused && !space.createTraversal ? { ...params, boundary: 'node' } : params;
}

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
  readonly store: VectorStore;
  /** Float32 rows are held (always for 'f32'): exact rerank is possible. */
  readonly keepFullPrecision: boolean;
  /** The caller's (or the file's) quantiser; null: learned from the first batch (i8, b1), or none. */
  readonly quantiser: Quantiser | null;
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
  /** The same space when its store is quantised (f16, i8, b1), else null. */
  readonly quantised: QuantisedSpace | null;
  /** Clamped rows counted before this process (a loaded file's), added to the space's own count. */
  clampedBefore = 0;
  readonly graph: Graph;
  readonly counters: Counters;
  /** The main thread's linker and searcher. */
  readonly inserter: Inserter;
  readonly rowOf = new Map<number, number>();
  readonly rng: Rng;
  readonly levelMult: number;
  nextId = 0;
  live = 0;
  /** Bytes compaction freed for reuse, in total. */
  reclaimedBytes = 0;
  /** Bumped by every change of rows (batches, removes, compaction): compiled filters check it. */
  version = 0;
  lastBatch: BatchReport | undefined;

  readonly params: IndexParams;

  constructor(
    params: IndexParams,
    readonly metricSpec: MetricSpec,
  ) {
    const { kernel, dim, metric, M, capacity, store, keepFullPrecision, quantiser } = params;
    this.space = kernel.createSpace({ dim, metric, capacity, store, keepFullPrecision, quantiser: quantiser ?? undefined });
    this.params = params = withoutFusion(params, this.space);
    this.quantised = store === 'f32' ? null : asQuantised(this.space, kernel, store);
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
    this.version++;
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
    const q = this.quantised;
    if (q && q.quantiser === null && storeSpec(this.params.store).quantised) {
      // The first batch teaches the quantiser (kept even if the batch is rolled back).
      q.setQuantiser(learnFrom(vectors, count, this.params.dim, this.params.store as 'i8' | 'b1', this.metricSpec.normalise));
    }
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
    // After beginUndo, which may move the undo log: a fused traversal writes the log where bind() saw it.
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

  /** A probe for exact scans (filtered search's fallback), made on first use. */
  exactProbe(): DistanceProbe {
    return (this.#exact ??= this.space.createProbe(256));
  }

  #exact: DistanceProbe | undefined;

  /** A probe over the float32 rows, for exact rerank, made on first use. */
  rerankProbe(): DistanceProbe {
    return (this.#rerank ??= this.space.createProbe(256, { exact: true }));
  }

  #rerank: DistanceProbe | undefined;

  /** Rows stored clamped (quantised stores), this process's and a loaded file's. */
  get clamped(): number {
    return this.clampedBefore + (this.quantised?.clamped ?? 0);
  }

  /** Free the kernel memory (traversal scratch, graph regions, the space). */
  dispose(): void {
    this.inserter.dispose();
    this.graph.dispose();
    this.space.dispose();
  }
}

/** The space of a quantised store, checked once for what the core calls on it. */
function asQuantised(space: VectorSpace, kernel: DistanceKernel, store: VectorStore): QuantisedSpace {
  const q = space as Partial<QuantisedSpace>;
  for (const key of ['setQuantiser', 'codes', 'writeCodes', 'copyRow'] as const) {
    if (typeof q[key] !== 'function') {
      throw new TypeError(
        `the ${kernel.name} kernel lists store '${store}' but its space has no ${key}() (see QuantisedSpace in contracts.ts)`,
      );
    }
  }
  return space as QuantisedSpace;
}
