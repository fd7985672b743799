import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DatasetUnavailableError } from '@hnswlab/datasets';
import { HnswIndex, type Boundary, type DistanceKernel, type IndexStats, type Phase } from '@hnswlab/core';
import {
  PHASES,
  SCHEMA_VERSION,
  type BuildResult,
  type CellResult,
  type EventLoopResult,
  type IndexCacheUse,
  type JsShare,
  type LoopDelay,
  type MemoryResult,
  type PersistenceResult,
  type RerankSweep,
  type StoreResult,
} from './cell-result.js';
import { exactScorer } from './exact-scorer.js';
import { indexOptions } from './index-options.js';
import { memoryResult } from './memory-result.js';
import { cellLabel, normalizeCellSpec, type CellSpec } from './cell-spec.js';
import { codeVersion } from './code-version.js';
import { diskWriteSeconds, readFileSeconds } from './file-io-rates.js';
import { forceGc } from './force-gc.js';
import { ModuleUnavailableError } from './import-optional.js';
import { baseHash, IndexCache, indexCacheKey, type BuildRecord, type IndexCacheKeyParts } from './index-cache.js';
import { kernelShareByProfile } from './kernel-share-profile.js';
import { loadKernel } from './load-kernel.js';
import { strategyUnavailable } from './load-strategies.js';
import { LOOP_RESOLUTION_MS, measureLoopDelay, perTurn } from './loop-delay.js';
import { machineInfo } from './bench-report.js';
import { peakRss, resetPeakRss } from './peak-rss.js';
import { measureSearch } from './measure-search.js';
import { median } from '@hnswlab/lab-kit';
import { referenceEf } from './figures.js';
import { prepareData, type PreparedData } from './prepare-data.js';

const WARMUP_VECTORS = 1000;

/** Strategies that insert on the calling thread only (a main-thread profile sees all their work). */
const SINGLE_THREAD_STRATEGIES = new Set(['sequential', 'batched']);

/**
 * Where a running cell is. Stages come in order load, groundTruth, build (per repeat), save, load-index,
 * search (per ef), event-loop, profile, done; the untimed warm-up build runs after groundTruth and
 * before the first build stage, so a profile sliced at 'build' does not include it. A cell whose
 * index comes from the cache has no build or save stage.
 */
export interface CellProgress {
  stage: 'load' | 'groundTruth' | 'build' | 'save' | 'load-index' | 'search' | 'event-loop' | 'profile' | 'done';
  /** 1-based build repeat during 'build'. */
  repeat?: number;
  /** The ef being measured during 'search'. */
  ef?: number;
  /** The rerank factor of the sweep being measured during 'search' (absent: the plain sweep). */
  rerank?: number;
}

export interface RunCellOptions {
  onProgress?: (progress: CellProgress) => void;
  /**
   * Build the first min(n, 1000) vectors once, untimed, before the timed builds, so the first cell of
   * a process does not pay for JIT compilation and worker start-up in its figures. Default true.
   */
  warmup?: boolean;
  /**
   * Keep each built index on disk and reuse it (SCHEMA.md, "Index cache"): true for the cache under
   * cacheDir(), a folder name for that folder; off by default, so a caller that times builds (the gate,
   * flame) always builds. With it, a cell whose index and build figures are cached loads the index
   * instead of building it and reports the recorded build figures (`build.source: 'cache'`).
   */
  indexCache?: boolean | string;
  /**
   * Measure the event loop's delay during the build, search() and searchBatch() (EventLoopResult).
   * Default true; flame turns it off, so its search profiles hold the sweep alone.
   */
  eventLoop?: boolean;
  /**
   * Measure JsShare.byProfile: one more, untimed build of the cell under V8's sampling profiler, after
   * every other measurement (single-thread strategies only: the profile sees this thread). Default false.
   */
  profileJsShare?: boolean;
}

/**
 * Build exactly one cell in this process and measure it: `repeat` timed builds from empty, a save of
 * the last build and a load of the file (the search runs on the loaded index, as on a cache hit), the
 * search sweep, the event loop's delay during the build, search() and searchBatch(), and memory. A
 * kernel, strategy or boundary that cannot be used gives a result with status 'unavailable' and the
 * reason; an error during the cell gives 'failed'. Never throws for those; throws only on an invalid
 * spec.
 */
export async function runCell(
  input: Partial<CellSpec> & Pick<CellSpec, 'kernel' | 'strategy'>,
  options: RunCellOptions = {},
): Promise<CellResult> {
  const spec = normalizeCellSpec(input);
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const base = { schemaVersion: SCHEMA_VERSION, id: cellLabel(spec), library: 'hnswlab', spec, startedAt } as const;
  const progress = (p: CellProgress) => options.onProgress?.(p);
  const done = (rest: Partial<CellResult> & Pick<CellResult, 'status'>): CellResult => {
    progress({ stage: 'done' });
    return { ...base, ...rest, wallSeconds: (performance.now() - t0) / 1000 };
  };

  let kernel: DistanceKernel;
  try {
    kernel = await loadKernel(spec.kernel);
  } catch (err) {
    return done({ status: err instanceof ModuleUnavailableError ? 'unavailable' : 'failed', reason: (err as Error).message });
  }
  const supported = kernel.boundaries ?? ['pair', 'node'];
  if (spec.boundary && !supported.includes(spec.boundary))
    return done({
      status: 'unavailable',
      kernelName: kernel.name,
      reason: `unavailable: the ${kernel.name} kernel does not support boundary '${spec.boundary}' (it supports ${supported.join(', ')})`,
    });
  // Without spec.boundary an f32 cell runs at the kernel's fastest; a quantised store's default is the
  // core's (its space may not fuse traversal: the index then says 'node').
  const boundary: Boundary | undefined =
    spec.boundary ?? (spec.store && spec.store !== 'f32' ? undefined : supported[supported.length - 1]);
  const stores = kernel.stores ?? ['f32'];
  if (spec.store && !stores.includes(spec.store))
    return done({
      status: 'unavailable',
      kernelName: kernel.name,
      reason: `unavailable: the ${kernel.name} kernel does not implement store '${spec.store}' (it implements ${stores.join(', ')})`,
    });
  const noStrategy = await strategyUnavailable(spec.strategy);
  if (noStrategy) return done({ status: 'unavailable', kernelName: kernel.name, reason: `unavailable: ${noStrategy}` });

  let tmp: string | undefined;
  let index: HnswIndex | undefined;
  try {
    const prepared = await prepareData(spec, (stage) => progress({ stage }));
    const { data } = prepared;
    const dim = data.dim;
    const n = data.n;
    const make = () => new HnswIndex(indexOptions(spec, dim, kernel, boundary));
    const addAll = (idx: HnswIndex) => idx.addBatch(data.base, { strategy: spec.strategy, threads: spec.threads });

    const cache = options.indexCache ? new IndexCache(typeof options.indexCache === 'string' ? options.indexCache : undefined) : undefined;
    const keyParts: IndexCacheKeyParts | undefined = cache && {
      baseHash: baseHash(dim, data.base),
      metric: spec.metric,
      kernel: spec.kernel,
      kernelName: kernel.name,
      strategy: spec.strategy,
      boundary: boundary ?? 'default',
      M: spec.M,
      efConstruction: spec.efConstruction,
      seed: spec.seed,
      threads: spec.threads,
      code: codeVersion(kernel.descriptor.module),
      // f32 cells keep the keys they had before the precision axis
      ...(spec.store && { store: spec.store, keepFullPrecision: spec.keepFullPrecision ?? null }),
    };
    const key = keyParts && indexCacheKey(keyParts);
    let record: BuildRecord | undefined = cache && key ? cache.read(key) : undefined;
    // A record of fewer timed builds than this cell asks for, or without the event loop it measures,
    // is not this cell's measurement: build again.
    if (record && record.build.secondsPerRepeat.length < spec.repeat) record = undefined;
    if (record && (options.eventLoop ?? true) && !record.buildLoopDelay) record = undefined;
    let hit = record !== undefined;
    let file = '';
    const buildAndSave = async (): Promise<BuildRecord> => {
      const measured = await buildAndMeasure(
        spec,
        make,
        addAll,
        data.base.subarray(0, Math.min(n, WARMUP_VECTORS) * dim),
        n,
        dim,
        options,
        progress,
      );
      try {
        if (cache) file = cache.prepare(key!);
        else {
          tmp = mkdtempSync(join(tmpdir(), 'hnswlab-cell-'));
          file = join(tmp, 'index.hnsw');
        }
        progress({ stage: 'save' });
        const s0 = performance.now();
        const { bytes } = await measured.index.save(file);
        const saveSeconds = (performance.now() - s0) / 1000;
        const built: BuildRecord = {
          build: measured.build,
          memory: measured.memory,
          buildLoopDelay: measured.loop,
          loopResolutionMs: LOOP_RESOLUTION_MS,
          fileBytes: bytes,
          saveSeconds,
          diskWriteSeconds: diskWriteSeconds(dirname(file), bytes),
          builtAt: new Date().toISOString(),
          builtOn: machineInfo().label,
        };
        if (cache) cache.write({ version: 1, key: key!, parts: keyParts!, ...built });
        return built;
      } finally {
        measured.index.dispose();
      }
    };
    if (record) file = cache!.indexFile(key!);
    else record = await buildAndSave();

    progress({ stage: 'load-index' });
    let readSeconds = await readFileSeconds(file);
    let l0 = performance.now();
    try {
      index = await HnswIndex.load(file, { kernel, boundary });
    } catch (err) {
      if (!hit) throw err;
      // A cached file that does not load (damaged on disk) is dropped and the cell built as on a miss.
      process.emitWarning(
        `index cache: ${file} did not load (${(err as Error).message}); building the cell instead`,
        'HnswlabCacheWarning',
      );
      cache!.drop(key!);
      hit = false;
      record = await buildAndSave();
      readSeconds = await readFileSeconds(file);
      l0 = performance.now();
      index = await HnswIndex.load(file, { kernel, boundary });
    }
    const entry = record;
    const loadSeconds = (performance.now() - l0) / 1000;
    const idx = index;
    const memory = entry.memory;
    const persistence: PersistenceResult = {
      fileBytes: entry.fileBytes,
      bytesPerVector: entry.fileBytes / n,
      fileToRawRatio: entry.fileBytes / memory.rawVectorBytes,
      fileToMemoryRatio: entry.fileBytes / memory.indexBytes.total,
      saveSeconds: entry.saveSeconds,
      loadSeconds,
      readFileSeconds: readSeconds,
      diskWriteSeconds: entry.diskWriteSeconds,
      saveSource: hit ? 'cache' : 'measured',
    };

    progress({ stage: 'search' });
    // A quantised store answers in its own distances (decoded f16, i8 arithmetic, b1 Hamming): recall
    // is counted on the float32 distances of the ids it returns, as the ground truth's are.
    const rescore = spec.store ? exactScorer(spec.metric, data.base, dim) : undefined;
    const sweep = (rerank?: number) =>
      measureSearch(
        {
          search: (q, k, ef) => idx.search(q, k, rerank ? { ef, rerank } : { ef }),
          ...(rescore && { rescore }),
          distanceEvals: () => idx.stats().distanceEvals,
          kernelCalls: () => idx.stats().kernelCalls,
        },
        data.queries,
        dim,
        prepared.gt,
        spec.ef,
        spec.k,
        undefined,
        (ef) => progress({ stage: 'search', ef, ...(rerank && { rerank }) }),
      );
    const search = sweep();
    const rerankSearch: RerankSweep[] | undefined =
      spec.rerank && idx.keepFullPrecision ? spec.rerank.map((rerank) => ({ rerank, points: sweep(rerank) })) : undefined;
    const store: StoreResult | undefined = spec.store
      ? { name: idx.store, keepFullPrecision: idx.keepFullPrecision, clamped: idx.stats().clamped }
      : undefined;

    let eventLoop: EventLoopResult | undefined;
    if (options.eventLoop ?? true) {
      progress({ stage: 'event-loop' });
      const serving = await servingLoopDelay(idx, data.queries, dim, spec);
      eventLoop = { resolutionMs: LOOP_RESOLUTION_MS, ...(entry.buildLoopDelay && { build: entry.buildLoopDelay }), ...serving };
    }

    let jsShare = entry.build.jsShare ?? null;
    if (options.profileJsShare && jsShare?.byProfile == null && SINGLE_THREAD_STRATEGIES.has(spec.strategy)) {
      progress({ stage: 'profile' });
      const extra = make();
      const profiled = await kernelShareByProfile(() => addAll(extra));
      extra.dispose();
      const byProfile = 1 - profiled.share;
      jsShare = { ...(jsShare ?? { byTimers: null }), share: byProfile, method: 'cpu-profile', byProfile, samples: profiled.samples };
      if (cache) cache.write({ version: 1, key: key!, parts: keyParts!, ...entry, build: { ...entry.build, jsShare } });
    }

    const build: BuildResult = { ...entry.build, jsShare, ...(hit && { source: 'cache' as const }) };
    const indexCache: IndexCacheUse | undefined = key ? { key, hit, builtAt: entry.builtAt, builtOn: entry.builtOn } : undefined;
    return done({
      status: 'ok',
      kernelName: kernel.name,
      boundary: idx.boundary,
      dataset: describe(spec, prepared),
      build,
      search,
      ...(rerankSearch && { rerankSearch }),
      ...(store && { store }),
      memory,
      eventLoop,
      persistence,
      ...(indexCache && { indexCache }),
    });
  } catch (err) {
    return done(
      err instanceof DatasetUnavailableError
        ? { status: 'unavailable', kernelName: kernel.name, reason: `unavailable: ${err.message}` }
        : { status: 'failed', kernelName: kernel.name, reason: `failed: ${err instanceof Error ? err.message : String(err)}` },
    );
  } finally {
    index?.dispose();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
}

interface Measured {
  index: HnswIndex;
  build: BuildResult;
  memory: MemoryResult;
  loop: LoopDelay | null;
}

/** The warm-up and the timed builds; the last one is kept, with its memory, CPU time and event-loop delay. */
async function buildAndMeasure(
  spec: CellSpec,
  make: () => HnswIndex,
  addAll: (idx: HnswIndex) => Promise<unknown>,
  warmRows: Float32Array,
  n: number,
  dim: number,
  options: RunCellOptions,
  progress: (p: CellProgress) => void,
): Promise<Measured> {
  if (options.warmup ?? true) {
    const warm = make();
    await warm.addBatch(warmRows, { strategy: spec.strategy, threads: spec.threads });
    warm.dispose();
  }
  const secondsPerRepeat: number[] = [];
  let index: HnswIndex | undefined;
  let memory: MemoryResult | undefined;
  let stats: IndexStats | undefined;
  let threads = 1;
  let cpuSeconds = 0;
  let loop: LoopDelay | null = null;
  for (let r = 1; r <= spec.repeat; r++) {
    progress({ stage: 'build', repeat: r });
    index?.dispose();
    const last = r === spec.repeat;
    const gcForced = last ? forceGc() : false;
    const before = last ? process.memoryUsage() : undefined;
    const peakReset = last && resetPeakRss();
    const idx = make();
    let seconds = 0,
      cpu = 0;
    const timed = async () => {
      const c0 = process.cpuUsage();
      const b0 = performance.now();
      await addAll(idx);
      seconds = (performance.now() - b0) / 1000;
      const c = process.cpuUsage(c0);
      cpu = (c.user + c.system) / 1e6;
    };
    if (last && (options.eventLoop ?? true)) loop = (await measureLoopDelay(timed)).delay;
    else await timed();
    secondsPerRepeat.push(seconds);
    index = idx;
    if (last) {
      cpuSeconds = cpu;
      const peak = peakRss(peakReset);
      stats = idx.stats();
      threads = idx.lastBatchReport()?.threads ?? 1;
      forceGc();
      memory = memoryResult(stats, n, dim, before!, process.memoryUsage(), gcForced, peak);
    }
  }
  const build = buildResult(stats!, n, secondsPerRepeat, threads, cpuSeconds, index!.boundary);
  return { index: index!, build, memory: memory!, loop };
}

/**
 * The event loop while the index serves the query set at the sweep's middle ef: search() one query per
 * loop turn, and searchBatch() of the whole set on spec.threads threads (after one untimed call, so
 * the workers are started).
 */
async function servingLoopDelay(
  idx: HnswIndex,
  queries: Float32Array,
  dim: number,
  spec: CellSpec,
): Promise<Pick<EventLoopResult, 'search' | 'searchBatch'>> {
  const ef = referenceEf(spec.ef);
  const nq = queries.length / dim;
  const one = await measureLoopDelay(() => perTurn(nq, (q) => idx.search(queries.subarray(q * dim, (q + 1) * dim), spec.k, { ef })));
  await idx.searchBatch(queries, spec.k, { ef, threads: spec.threads });
  const batch = await measureLoopDelay(() => idx.searchBatch(queries, spec.k, { ef, threads: spec.threads }));
  return {
    search: { ...one.delay, ef },
    searchBatch: { ...batch.delay, ef, threads: spec.threads, qps: nq / batch.delay.seconds },
  };
}

function describe(spec: CellSpec, { data, hash, gt }: PreparedData) {
  return { id: spec.dataset, name: data.name, n: data.n, dim: data.dim, queries: data.queryCount, hash, groundTruth: gt.source };
}

function buildResult(
  stats: IndexStats,
  n: number,
  secondsPerRepeat: number[],
  threads: number,
  cpuSeconds: number,
  boundary: Boundary,
): BuildResult {
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
  // A fused insert is timed by the kernel itself (navigation, neighbour search, connection management);
  // storage and everything around the call is JavaScript. Other boundaries interleave both under the
  // core's timers, which cannot tell them apart.
  const kernelSeconds = stats.phases.navigation + stats.phases.neighborSearch + stats.phases.connectionManagement;
  const last = secondsPerRepeat[secondsPerRepeat.length - 1];
  const byTimers = boundary === 'insert' && kernelSeconds > 0 ? Math.max(0, 1 - kernelSeconds / (last * threads)) : null;
  const jsShare: JsShare | null =
    byTimers === null ? null : { share: byTimers, method: 'kernel-timers', byTimers, byProfile: null, samples: null };
  return {
    seconds,
    secondsPerRepeat,
    vectorsPerSecond: n / seconds,
    distanceEvalsPerInsert: stats.distanceEvals / inserts,
    nodesVisitedPerInsert: stats.nodesVisited / inserts,
    phaseSeconds,
    phaseShares,
    lockWaitSeconds: stats.lockWait,
    threads,
    kernelCallsPerInsert: stats.kernelCalls / inserts,
    cpuSeconds,
    cpuNanosecondsPerDistance: stats.distanceEvals > 0 ? (cpuSeconds / stats.distanceEvals) * 1e9 : null,
    jsShare,
  };
}
