import type { DistanceKernel } from '@hnswlab/core/contracts';
import Benchmark from 'benchmark';
import type { BenchCase, CaseData } from './bench-case.js';
import { median } from '@hnswlab/lab-kit';
import { summarise, type Statistic } from './stats.js';

export interface KernelTiming extends BenchCase {
  readonly kernel: string;
  /** The chosen statistic of benchmark.js's samples (each the mean time of one cycle of calls). */
  readonly nsPerCall: number;
  readonly medianNsPerCall: number;
  readonly samplesNs: readonly number[];
  /** benchmark.js's relative margin of error of the mean, in percent. */
  readonly rmePercent: number;
}

export interface TimingOptions {
  /** Seconds benchmark.js may spend on one case (its maxTime). */
  readonly maxTime: number;
  readonly minSamples: number;
  /** Seconds per benchmark.js cycle (its minTime): the length of one sample. */
  readonly minCycleTime: number;
  readonly statistic: Statistic;
}

/**
 * Time one batched call, probe.toRows(n), with benchmark.js: the query is set once, the ids are the
 * case's permutation, and each timed operation is one call across the kernel boundary.
 */
export function timeKernel(
  kernel: DistanceKernel,
  c: BenchCase,
  data: CaseData,
  { maxTime, minSamples, minCycleTime, statistic }: TimingOptions,
): KernelTiming {
  const space = kernel.createSpace({ dim: c.dim, metric: c.metric, capacity: c.n });
  try {
    space.write(0, data.rows, c.n);
    const probe = space.createProbe(c.n);
    probe.ids.set(data.ids);
    probe.setQuery(data.query);
    const n = c.n;
    const bench = new Benchmark(`${kernel.name} ${c.metric} dim ${c.dim} n ${n}`, () => probe.toRows(n), {
      maxTime,
      minSamples,
      // Cycles of about a millisecond, many samples: on a shared machine some of them fit between
      // the neighbours' time slices (the minimum then reads the undisturbed speed).
      minTime: minCycleTime,
    });
    bench.run({ async: false });
    if (bench.error) throw bench.error;
    const samplesNs = bench.stats.sample.map((s) => s * 1e9);
    return {
      kernel: kernel.name,
      ...c,
      nsPerCall: summarise(samplesNs, statistic),
      medianNsPerCall: median(samplesNs),
      samplesNs,
      rmePercent: bench.stats.rme,
    };
  } finally {
    space.dispose();
  }
}
