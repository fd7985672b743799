import { DatasetUnavailableError } from '@hnswlab/datasets';
import { HnswIndex, type IndexStats, type Phase } from '@hnswlab/core';
import { PHASES, SCHEMA_VERSION, type BuildResult, type CellResult, type MemoryResult } from './cell-result.js';
import { memoryResult } from './memory-result.js';
import { cellLabel, normalizeCellSpec, type CellSpec } from './cell-spec.js';
import { forceGc } from './force-gc.js';
import { ModuleUnavailableError } from './import-optional.js';
import { loadKernel } from './load-kernel.js';
import { strategyUnavailable } from './load-strategies.js';
import { peakRss, resetPeakRss } from './peak-rss.js';
import { measureSearch } from './measure-search.js';
import { median } from './median.js';
import { prepareData, type PreparedData } from './prepare-data.js';

const WARMUP_VECTORS = 1000;

/**
 * Where a running cell is. Stages come in order load, groundTruth, build (per repeat), search (per ef),
 * done; the untimed warm-up build runs after groundTruth and before the first build stage, so a
 * profile sliced at 'build' does not include it.
 */
export interface CellProgress {
  stage: 'load' | 'groundTruth' | 'build' | 'search' | 'done';
  /** 1-based build repeat during 'build'. */
  repeat?: number;
  /** The ef being measured during 'search'. */
  ef?: number;
}

export interface RunCellOptions {
  onProgress?: (progress: CellProgress) => void;
  /**
   * Build the first min(n, 1000) vectors once, untimed, before the timed builds, so the first cell of
   * a process does not pay for JIT compilation and worker start-up in its figures. Default true.
   */
  warmup?: boolean;
}

/**
 * Build exactly one cell in this process and measure it: `repeat` timed builds from empty, the search
 * sweep over the last build, and its memory. A kernel or strategy that cannot load gives a result
 * with status 'unavailable' and the reason; an error during the cell gives 'failed'. Never throws for
 * those; throws only on an invalid spec.
 */
export async function runCell(
  input: Partial<CellSpec> & Pick<CellSpec, 'kernel' | 'strategy'>,
  options: RunCellOptions = {},
): Promise<CellResult> {
  const spec = normalizeCellSpec(input);
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const base = { schemaVersion: SCHEMA_VERSION, id: cellLabel(spec), library: 'hnswlab', spec, startedAt } as const;
  const done = (rest: Partial<CellResult> & Pick<CellResult, 'status'>): CellResult => {
    options.onProgress?.({ stage: 'done' });
    return { ...base, ...rest, wallSeconds: (performance.now() - t0) / 1000 };
  };

  let kernel;
  try {
    kernel = await loadKernel(spec.kernel);
  } catch (err) {
    return done({ status: err instanceof ModuleUnavailableError ? 'unavailable' : 'failed', reason: (err as Error).message });
  }
  const noStrategy = await strategyUnavailable(spec.strategy);
  if (noStrategy) return done({ status: 'unavailable', kernelName: kernel.name, reason: `unavailable: ${noStrategy}` });

  try {
    const prepared = await prepareData(spec, (stage) => options.onProgress?.({ stage }));
    const { data } = prepared;
    const dim = data.dim;
    const n = data.n;
    if (options.warmup ?? true) {
      const warm = new HnswIndex({ dim, metric: spec.metric, M: spec.M, efConstruction: spec.efConstruction, kernel, seed: spec.seed });
      await warm.addBatch(data.base.subarray(0, Math.min(n, WARMUP_VECTORS) * dim), { strategy: spec.strategy, threads: spec.threads });
    }
    const secondsPerRepeat: number[] = [];
    let index: HnswIndex | undefined;
    let memory: MemoryResult | undefined;
    let stats: IndexStats | undefined;
    let lockWait = 0;
    let threads = 1;
    for (let r = 1; r <= spec.repeat; r++) {
      options.onProgress?.({ stage: 'build', repeat: r });
      index = undefined;
      const last = r === spec.repeat;
      const gcForced = last ? forceGc() : false;
      const before = last ? process.memoryUsage() : undefined;
      const peakReset = last && resetPeakRss();
      const idx = new HnswIndex({ dim, metric: spec.metric, M: spec.M, efConstruction: spec.efConstruction, kernel, seed: spec.seed });
      const b0 = performance.now();
      await idx.addBatch(data.base, { strategy: spec.strategy, threads: spec.threads });
      secondsPerRepeat.push((performance.now() - b0) / 1000);
      index = idx;
      if (last) {
        const peak = peakRss(peakReset);
        stats = idx.stats();
        lockWait = stats.lockWait;
        threads = idx.lastBatchReport()?.threads ?? 1;
        forceGc();
        memory = memoryResult(stats, n, dim, before!, process.memoryUsage(), gcForced, peak);
      }
    }
    const build = buildResult(stats!, n, secondsPerRepeat, lockWait, threads);
    const idx = index!;
    options.onProgress?.({ stage: 'search' });
    const search = measureSearch(
      {
        search: (q, k, ef) => idx.search(q, k, { ef }),
        distanceEvals: () => idx.stats().distanceEvals,
      },
      data.queries,
      dim,
      prepared.gt,
      spec.ef,
      spec.k,
      undefined,
      (ef) => options.onProgress?.({ stage: 'search', ef }),
    );
    return done({ status: 'ok', kernelName: kernel.name, dataset: describe(spec, prepared), build, search, memory });
  } catch (err) {
    return done(
      err instanceof DatasetUnavailableError
        ? { status: 'unavailable', kernelName: kernel.name, reason: `unavailable: ${err.message}` }
        : { status: 'failed', kernelName: kernel.name, reason: `failed: ${err instanceof Error ? err.message : String(err)}` },
    );
  }
}

function describe(spec: CellSpec, { data, hash, gt }: PreparedData) {
  return { id: spec.dataset, name: data.name, n: data.n, dim: data.dim, queries: data.queryCount, hash, groundTruth: gt.source };
}

function buildResult(stats: IndexStats, n: number, secondsPerRepeat: number[], lockWaitSeconds: number, threads: number): BuildResult {
  const seconds = median(secondsPerRepeat);
  let total = 0;
  for (const p of PHASES) total += stats.phases[p];
  const phaseSeconds = {} as Record<Phase, number>;
  const phaseShares = {} as Record<Phase, number>;
  for (const p of PHASES) {
    phaseSeconds[p] = stats.phases[p];
    phaseShares[p] = total > 0 ? stats.phases[p] / total : 0;
  }
  const inserts = stats.inserts || n;
  return {
    seconds,
    secondsPerRepeat,
    vectorsPerSecond: n / seconds,
    distanceEvalsPerInsert: stats.distanceEvals / inserts,
    nodesVisitedPerInsert: stats.nodesVisited / inserts,
    phaseSeconds,
    phaseShares,
    lockWaitSeconds,
    threads,
  };
}
