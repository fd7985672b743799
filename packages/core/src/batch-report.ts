import type { Phase } from './contracts.js';
import { now, type Counters, type CounterValues } from './counters.js';

/** One stage of a batch (warm-up, parallel, segments, merge-full, merge-seeded, search, apply, …). */
export interface StageReport {
  readonly name: string;
  readonly rows: number;
  /** Wall-clock seconds. */
  readonly seconds: number;
  /** Seconds the threads worked, summed over threads (the wall time for a stage run in the calling thread). */
  readonly busySeconds: number;
  readonly distanceEvals: number;
}

/** What the last batch did, for the harness and benchmarks (see HnswIndex.lastBatchReport). */
export interface BatchReport {
  readonly strategy: string;
  /** Threads that linked rows: 1 unless a stage ran on workers. */
  readonly threads: number;
  readonly rows: number;
  /** Whether the batch was committed (false: rolled back). */
  readonly committed: boolean;
  /** Wall-clock seconds of the whole batch. */
  readonly seconds: number;
  readonly distanceEvals: number;
  /** Seconds per insert phase, summed over threads. */
  readonly phases: Record<Phase, number>;
  /** Seconds spent waiting for node locks and failed lock attempts, summed over threads. */
  readonly lockWait: number;
  readonly lockSpins: number;
  /** lockWait over the seconds all threads worked. */
  readonly lockWaitShare: number;
  readonly stages: readonly StageReport[];
  /** Strategy-specific counts (rounds, seeded rows, fallbacks, ...). */
  readonly extra: Readonly<Record<string, number>>;
}

interface MutableStage {
  name: string;
  rows: number;
  seconds: number;
  busySeconds: number;
  distanceEvals: number;
}

/** Collects a batch's stages from the index's counters, which worker counters are merged into. */
export class BatchRecorder {
  readonly extra: Record<string, number> = {};
  /** The most threads any stage used. */
  threads = 1;
  private readonly stages: MutableStage[] = [];
  private readonly t0 = now();
  private readonly before: CounterValues;

  constructor(
    private readonly counters: Counters,
    private readonly strategy: string,
    private readonly rows: number,
  ) {
    this.before = counters.values();
  }

  /**
   * Time `fn` as stage `name` (stages of the same name accumulate, e.g. over rounds). `busy()` gives
   * the summed busy seconds of workers used during the stage, or nothing for a stage in this thread.
   */
  async stage<T>(name: string, rows: number, fn: () => T | Promise<T>, busy?: () => number): Promise<T> {
    const t0 = now();
    const evals0 = this.counters.distanceEvals;
    const busy0 = busy?.() ?? 0;
    const result = await fn();
    const seconds = now() - t0;
    let s = this.stages.find((x) => x.name === name);
    if (!s) this.stages.push((s = { name, rows: 0, seconds: 0, busySeconds: 0, distanceEvals: 0 }));
    s.rows += rows;
    s.seconds += seconds;
    // Worker time when the stage ran tasks on workers, else this thread's wall time.
    const workerBusy = busy ? busy() - busy0 : 0;
    s.busySeconds += workerBusy > 0 ? workerBusy : seconds;
    s.distanceEvals += this.counters.distanceEvals - evals0;
    return result;
  }

  finish(committed: boolean): BatchReport {
    const after = this.counters.values(),
      b = this.before;
    const busy = this.stages.reduce((sum, s) => sum + s.busySeconds, 0);
    const lockWait = after.lockWait - b.lockWait;
    return {
      strategy: this.strategy,
      threads: this.threads,
      rows: this.rows,
      committed,
      seconds: now() - this.t0,
      distanceEvals: after.distanceEvals - b.distanceEvals,
      phases: {
        navigation: after.navigation - b.navigation,
        neighborSearch: after.neighborSearch - b.neighborSearch,
        connectionManagement: after.connectionManagement - b.connectionManagement,
        storage: after.storage - b.storage,
      },
      lockWait,
      lockSpins: after.lockSpins - b.lockSpins,
      lockWaitShare: busy > 0 ? lockWait / busy : 0,
      stages: this.stages.map((s) => ({ ...s })),
      extra: { ...this.extra },
    };
  }
}
