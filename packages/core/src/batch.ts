import type { BuildContext, InsertOptions, InsertStrategy, Workers } from './contracts.js';
import { BatchRecorder } from './batch-report.js';
import { now } from './counters.js';
import type { IndexState, Plan } from './index-state.js';
import { H_ENTRY, H_MAX_LEVEL } from './layout.js';
import { mergeRows, type MergeInput, type MergeRowsOptions } from './merge-rows.js';
import { workerPool, type Job } from './workers/pool.js';

/**
 * Link `labels.length` validated vectors through `strategy`, all or nothing: rows are allocated and
 * levels drawn here, the strategy links them, and if it throws the graph, the id map, the id counter,
 * the generator and the insert count are put back as they were (the undo log restores every list the
 * batch touched). Returns when the batch is committed; rejects, saying it was rolled back, otherwise.
 */
export async function runBatch(
  s: IndexState,
  vectors: Float32Array,
  labels: Uint32Array,
  strategy: InsertStrategy,
  options: InsertOptions,
): Promise<void> {
  const rec = new BatchRecorder(s.counters, strategy.name, labels.length);
  const plan = s.beginBatch(vectors, labels, !strategy.storesRows);
  let committed = false;
  try {
    await strategy.link(new Batch(s, plan, rec), options);
    s.graph.endUndo();
    s.live += plan.count;
    committed = true;
  } catch (err) {
    s.rollback(plan);
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(`${strategy.name} insert failed and the batch was rolled back (the index is as it was before the call): ${message}`, {
      cause: err,
    });
  } finally {
    s.lastBatch = rec.finish(committed);
  }
}

/** One validated vector, linked in this thread, all or nothing (add()). */
export function insertOne(s: IndexState, vector: Float32Array, label: number): void {
  const plan = s.beginBatch(vector, Uint32Array.of(label), true);
  try {
    s.inserter.insert(plan.firstRow);
    s.graph.endUndo();
    s.live++;
  } catch (err) {
    s.rollback(plan);
    throw err;
  }
}

/** The BuildContext a strategy links a batch through. */
export class Batch implements BuildContext {
  private job: Job | undefined;

  constructor(
    private readonly s: IndexState,
    private readonly plan: Plan,
    private readonly rec: BatchRecorder,
  ) {}

  get M(): number {
    return this.s.params.M;
  }

  get efConstruction(): number {
    return this.s.params.efConstruction;
  }

  get firstRow(): number {
    return this.plan.firstRow;
  }

  get count(): number {
    return this.plan.count;
  }

  get linker() {
    return this.s.inserter;
  }

  get entry(): number {
    return this.s.graph.entry;
  }

  get maxLevel(): number {
    return this.s.graph.maxLevel;
  }

  get extra(): Record<string, number> {
    return this.rec.extra;
  }

  level(row: number): number {
    return this.s.graph.levels[row];
  }

  storeRow(i: number): number {
    const { firstRow, count, vectors } = this.plan;
    if (!Number.isInteger(i) || i < 0 || i >= count) throw new RangeError(`storeRow(${i}): the batch has rows 0..${count - 1}`);
    const c = this.s.counters,
      space = this.s.space,
      dim = space.dim;
    const t0 = c.timing ? now() : 0;
    const row = firstRow + i;
    space.reserve(row + 1);
    space.write(row, vectors, 1, i * dim);
    if (c.timing) c.storage += now() - t0;
    return row;
  }

  setEntry(row: number, level: number): void {
    const header = this.s.graph.header;
    if (row < 0 || row >= this.s.graph.count || level !== this.s.graph.levels[row]) {
      throw new RangeError(`setEntry(${row}, ${level}): not an allocated row at that level`);
    }
    header[H_ENTRY] = row;
    header[H_MAX_LEVEL] = level;
  }

  mergeRows(input: MergeInput, options: MergeRowsOptions) {
    return mergeRows(this, this.s.graph, input, options);
  }

  async withWorkers<T>(options: { threads: number; locking: boolean }, fn: (workers: Workers) => Promise<T>): Promise<T> {
    this.rec.threads = Math.max(this.rec.threads, options.threads);
    return withIndexWorkers(this.s, { ...options, firstRow: this.plan.firstRow, count: this.plan.count }, async (job) => {
      this.job = job;
      try {
        return await fn(job);
      } finally {
        this.job = undefined;
      }
    });
  }

  stage<T>(name: string, rows: number, fn: () => T | Promise<T>): Promise<T> {
    return this.rec.stage(name, rows, fn, () => this.job?.busySeconds ?? 0);
  }
}

/**
 * Run `fn` with `threads` pool workers attached to the index (its kernel, space and graph), then
 * detach them. Taken after the last growth: nothing grows while workers hold the regions.
 */
export async function withIndexWorkers<T>(
  s: IndexState,
  options: { threads: number; locking: boolean; firstRow: number; count: number },
  fn: (job: Job) => Promise<T>,
): Promise<T> {
  const p = s.params;
  const job = await workerPool().acquire(options.threads, s.counters);
  try {
    const space = s.space.handle(),
      graph = s.graph.layout;
    await job.open((worker) => ({
      kernel: p.kernel.descriptor,
      space,
      graph,
      efConstruction: p.efConstruction,
      boundary: p.boundary,
      timing: s.counters.timing,
      locking: options.locking,
      firstRow: options.firstRow,
      count: options.count,
      worker,
      workers: options.threads,
    }));
    return await fn(job);
  } finally {
    await job.close();
  }
}
