import type { HnswIndex, Phase } from '@hnswlab/core';
import { now, type CounterValues } from '@hnswlab/core/internals';

/** One stage of a batch (warm-up, parallel, segments, merge-full, merge-seeded, search, apply). */
export interface StageReport {
  readonly name: string;
  readonly rows: number;
  /** Wall-clock seconds. */
  readonly seconds: number;
  /** Seconds the threads worked, summed over threads (the wall time for a stage run in the calling thread). */
  readonly busySeconds: number;
  readonly distanceEvals: number;
}

/** What the last batch of a strategy of this package did, for the harness and benchmarks. */
export interface BatchReport {
  readonly strategy: string;
  readonly threads: number;
  readonly rows: number;
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

const reports = new WeakMap<HnswIndex, BatchReport>();

/** The report of the last batch a strategy of this package inserted into `index` (also after a failure). */
export function lastBatchReport(index: HnswIndex): BatchReport | undefined {
  return reports.get(index);
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
  private readonly stages: MutableStage[] = [];
  private readonly t0 = now();
  private readonly before: CounterValues;

  constructor(
    private readonly index: HnswIndex,
    private readonly strategy: string,
    private readonly threads: number,
    private readonly rows: number,
  ) {
    this.before = index.counters.values();
  }

  /**
   * Time `fn` as stage `name` (stages of the same name accumulate, e.g. over rounds). `fn` returns the
   * summed busy seconds of the workers it used, or nothing when it ran in this thread.
   */
  async stage(name: string, rows: number, fn: () => Promise<number | void> | number | void): Promise<void> {
    const t0 = now();
    const evals0 = this.index.counters.distanceEvals;
    const busy = await fn();
    const seconds = now() - t0;
    let s = this.stages.find((x) => x.name === name);
    if (!s) this.stages.push((s = { name, rows: 0, seconds: 0, busySeconds: 0, distanceEvals: 0 }));
    s.rows += rows;
    s.seconds += seconds;
    s.busySeconds += typeof busy === 'number' ? busy : seconds;
    s.distanceEvals += this.index.counters.distanceEvals - evals0;
  }

  finish(): BatchReport {
    const after = this.index.counters.values(),
      b = this.before;
    const busy = this.stages.reduce((sum, s) => sum + s.busySeconds, 0);
    const lockWait = after.lockWait - b.lockWait;
    const report: BatchReport = {
      strategy: this.strategy,
      threads: this.threads,
      rows: this.rows,
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
    reports.set(this.index, report);
    return report;
  }
}
