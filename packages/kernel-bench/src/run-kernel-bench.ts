import type { DistanceKernel, Metric } from '@hnswlab/core/contracts';
import { listMetrics } from '@hnswlab/core';
import { KERNEL_NAMES, type KernelName } from '@hnswlab/lab-kit';
import { cpus, loadavg } from 'node:os';
import { caseData, flopsPerDistance, inputChecksum, type BenchCase } from './bench-case.js';
import { compileReference, runReference, type CompiledReference, type ReferenceTiming } from './cpp-reference.js';
import { loadKernel } from './load-kernels.js';
import { type Statistic } from './stats.js';
import { timeKernel } from './time-kernel.js';

export const ALL_DIMS = [32, 64, 128, 256, 384, 512, 768, 1024, 1536];
/** Every registered metric (@hnswlab/core's list). */
export const ALL_METRICS: Metric[] = listMetrics();
export const ALL_SIZES = [32, 1024];

/** What each kernel should reach against the C++ reference at dim ≥ {@link TARGET_MIN_DIM} (issue 3). */
export const TARGETS: Record<KernelName, number> = { native: 0.9, wasm: 0.5, js: 0.25 };
export const TARGET_MIN_DIM = 128;

export interface KernelBenchOptions {
  readonly kernels: readonly KernelName[];
  readonly metrics: readonly Metric[];
  readonly dims: readonly number[];
  /** Stored vectors per batched call. */
  readonly sizes: readonly number[];
  /** benchmark.js maxTime per case, seconds. */
  readonly maxTime: number;
  readonly minSamples: number;
  /** benchmark.js minTime: seconds per cycle, i.e. per sample. */
  readonly minCycleTime: number;
  /** Which sample stands for a cell, on both sides: 'min' (default; noise on a shared machine only adds time) or 'median'. */
  readonly statistic: Statistic;
  /** Time the C++ reference (needs g++ or $CXX). */
  readonly reference: boolean;
  readonly referenceSampleMs: number;
  readonly referenceSamples: number;
  readonly seed: number;
  /** Progress lines (stderr in the CLI). */
  readonly log?: (line: string) => void;
}

export const FULL_OPTIONS: KernelBenchOptions = {
  kernels: KERNEL_NAMES,
  metrics: ALL_METRICS,
  dims: ALL_DIMS,
  sizes: ALL_SIZES,
  maxTime: 0.25,
  minSamples: 5,
  minCycleTime: 0.001,
  statistic: 'min',
  reference: true,
  referenceSampleMs: 1,
  referenceSamples: 41,
  seed: 20240603,
};

/** Small enough for CI (well under a minute): two dims, two metrics, short timings. */
export const QUICK_OPTIONS: KernelBenchOptions = {
  ...FULL_OPTIONS,
  metrics: ['l2', 'ip'],
  dims: [128, 768],
  maxTime: 0.08,
  referenceSamples: 15,
};

export interface BenchCell extends BenchCase {
  readonly kernel: string;
  readonly key: KernelName;
  readonly nsPerCall: number;
  readonly nsPerDistance: number;
  readonly gflops: number;
  readonly rmePercent: number;
  readonly samplesNs: readonly number[];
  /** Reference time / kernel time: 1 means as fast as the C++ loop. */
  readonly ratioToReference?: number;
}

export interface ReferenceCell extends ReferenceTiming {
  readonly nsPerDistance: number;
  readonly gflops: number;
  /** The reference saw the same ids, rows and query as the kernels (checksums agree). */
  readonly sameInputs: boolean;
}

export interface TargetCheck {
  readonly key: KernelName;
  readonly kernel: string;
  readonly minRatio: number;
  readonly cells: number;
  readonly met: number;
  readonly worst?: { readonly metric: Metric; readonly dim: number; readonly n: number; readonly ratio: number };
}

export interface KernelBenchReport {
  readonly schema: 'hnswlab-kernel-bench/1';
  readonly createdAt: string;
  readonly machine: {
    readonly cpu: string;
    readonly cores: number;
    readonly node: string;
    readonly platform: string;
    readonly arch: string;
    readonly loadAverageBefore: number[];
    readonly loadAverageAfter: number[];
  };
  readonly method: Record<string, string>;
  readonly options: Omit<KernelBenchOptions, 'log'>;
  readonly skipped: Array<{ readonly kernel: string; readonly reason: string }>;
  readonly reference:
    { readonly compiler: string; readonly flags: readonly string[]; readonly cells: ReferenceCell[] } | { readonly skipped: string };
  readonly cells: BenchCell[];
  readonly targets: TargetCheck[];
}

/** Run the matrix: for each case, the C++ reference and then every kernel that loads. */
export async function runKernelBench(options: KernelBenchOptions): Promise<KernelBenchReport> {
  const log = options.log ?? (() => {});
  const loadAverageBefore = loadavg();
  const cases: BenchCase[] = [];
  for (const metric of options.metrics) for (const dim of options.dims) for (const n of options.sizes) cases.push({ metric, dim, n });

  const skipped: KernelBenchReport['skipped'] = [];
  const loaded: Array<{ key: KernelName; kernel: DistanceKernel }> = [];
  for (const k of options.kernels) {
    const l = await loadKernel(k);
    if (l.kernel) {
      loaded.push({ key: k, kernel: l.kernel });
    } else {
      log(`skipping kernel ${k}: ${l.reason}`);
      skipped.push({ kernel: k, reason: l.reason });
    }
  }

  let compiled: CompiledReference | undefined;
  let referenceSkipped = options.reference ? undefined : 'disabled by --no-reference';
  if (options.reference) {
    try {
      compiled = compileReference();
      log(`reference: ${compiled.compiler} ${compiled.flags.join(' ')}`);
    } catch (err) {
      referenceSkipped = err instanceof Error ? err.message : String(err);
      log(`reference skipped: ${referenceSkipped}`);
    }
  }

  // Case by case, the reference right before the kernels, so that all of them meet the same
  // neighbours on a shared machine.
  const refCells: ReferenceCell[] = [];
  const cells: BenchCell[] = [];
  for (const c of cases) {
    const data = caseData(c, options.seed);
    let ref: ReferenceCell | undefined;
    if (compiled) {
      const [t] = runReference(compiled, [c], {
        sampleMs: options.referenceSampleMs,
        samples: options.referenceSamples,
        seed: options.seed,
        statistic: options.statistic,
      });
      ref = {
        ...t,
        nsPerDistance: t.nsPerCall / t.n,
        gflops: (flopsPerDistance(t.metric, t.dim) * t.n) / t.nsPerCall,
        sameInputs: inputChecksum(data, c.dim) === t.checksum,
      };
      refCells.push(ref);
    }
    const line = [`${c.metric.padEnd(6)} dim ${String(c.dim).padStart(4)} n ${String(c.n).padStart(4)} (ns/distance):`];
    if (ref) line.push(`C++ ${ref.nsPerDistance.toFixed(2)}`);
    for (const { key: k, kernel } of loaded) {
      const t = timeKernel(kernel, c, data, options);
      cells.push({
        ...t,
        key: k,
        nsPerDistance: t.nsPerCall / c.n,
        gflops: (flopsPerDistance(c.metric, c.dim) * c.n) / t.nsPerCall,
        ...(ref ? { ratioToReference: ref.nsPerCall / t.nsPerCall } : {}),
      });
      line.push(`${kernel.name} ${(t.nsPerCall / c.n).toFixed(2)}`);
    }
    log(line.join('  '));
  }
  const reference: KernelBenchReport['reference'] = compiled
    ? { compiler: compiled.compiler, flags: compiled.flags, cells: refCells }
    : { skipped: referenceSkipped ?? 'unknown' };
  const names = new Map(loaded.map(({ key: k, kernel }) => [k, kernel.name]));

  const targets: TargetCheck[] = [];
  for (const [k, name] of names) {
    const graded = cells.filter((c) => c.key === k && c.dim >= TARGET_MIN_DIM && c.ratioToReference !== undefined);
    if (graded.length === 0) continue;
    const worst = graded.reduce((a, b) => (b.ratioToReference! < a.ratioToReference! ? b : a));
    targets.push({
      key: k,
      kernel: name,
      minRatio: TARGETS[k],
      cells: graded.length,
      met: graded.filter((c) => c.ratioToReference! >= TARGETS[k]).length,
      worst: { metric: worst.metric, dim: worst.dim, n: worst.n, ratio: worst.ratioToReference! },
    });
  }

  const { log: _log, ...recorded } = options;
  return {
    schema: 'hnswlab-kernel-bench/1',
    createdAt: new Date().toISOString(),
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      node: process.version,
      platform: process.platform,
      arch: process.arch,
      loadAverageBefore,
      loadAverageAfter: loadavg(),
    },
    method: {
      call: 'probe.toRows(n): one query (set once) against n stored rows, one call across the kernel boundary per timed operation',
      ids: 'a seeded random permutation of all n stored rows: every row once, in scattered order, as a link list visits them',
      data: 'uniform floats in [-1, 1), the same rows, query and ids on the TypeScript side and in the C++ reference (mulberry32, checked by checksum)',
      timer: `benchmark.js 2.1.4 per kernel and case (each sample is the mean of one cycle of calls); a cell is the ${options.statistic} of its samples, the reference likewise`,
      flops: 'per distance: l2 = 3·dim (sub, mul, add per component); ip and cosine = 2·dim (mul, add); GFLOP/s = flops · n / ns per call',
      reference:
        'native/reference.cc: the same batched loop in plain C++ (no intrinsics) over 64-byte aligned buffers, compiled here with -O3 -march=native -fopenmp-simd; two loop shapes (one omp simd reduction; a 32/16-lane partial-sum array), the faster per case by the same statistic',
      ratio: 'reference ns per call / kernel ns per call: 1 means as fast as the C++ loop',
    },
    options: recorded,
    skipped,
    reference,
    cells,
    targets,
  };
}
