import type { Metric } from '@hnswlab/core/contracts';
import { resolve } from 'node:path';
import {
  flagRows,
  formatHelp,
  HELP_FLAG,
  isKernelShortName,
  KERNEL_NAMES,
  names,
  parseFlags,
  UsageError,
  type Flag,
} from '@hnswlab/lab-kit';
import { ALL_METRICS, FULL_OPTIONS, QUICK_OPTIONS, type KernelBenchOptions } from './run-kernel-bench.js';

/** The bench's flags, described once: parsing and the help both come from here. */
const FLAGS = [
  { name: 'kernels', arg: 'LIST', help: `${KERNEL_NAMES.join(',')} (default: all; a kernel that cannot load is skipped with its reason)` },
  { name: 'metrics', arg: 'LIST', help: `${ALL_METRICS.join(',')} (default: all)` },
  { name: 'dims', arg: 'LIST', help: `default ${FULL_OPTIONS.dims.join(',')}` },
  { name: 'sizes', arg: 'LIST', help: `stored vectors per call, default ${FULL_OPTIONS.sizes.join(',')}` },
  { name: 'quick', help: 'CI size: dims 128,768, metrics l2,ip, short timings (well under a minute)' },
  { name: 'max-time', arg: 'S', help: 'benchmark.js seconds per case (default 0.25, quick 0.08)' },
  { name: 'statistic', arg: 'S', help: 'min (default) or median of the samples, for kernels and reference alike' },
  { name: 'no-reference', help: 'skip the C++ reference (no g++ needed; no ratios)' },
  { name: 'out', arg: 'DIR', help: 'where the JSON goes: DIR/kernels-<timestamp>.json', default: 'bench-out' },
  HELP_FLAG,
] as const satisfies readonly Flag[];

export const HELP = formatHelp(
  "hnswlab-kernel-bench [options]: time every kernel's batched distance call against a plain C++ loop",
  [{ title: 'options', rows: flagRows(FLAGS) }],
  'Markdown goes to stdout, progress to stderr. Exit status: 0 done, 1 failed, 2 a usage error.',
);

/** The CLI arguments as bench options (a bad value is a UsageError), or the help text. */
export function parseCli(argv: string[]): { options: KernelBenchOptions; outDir: string } | { help: string } {
  const { values } = parseFlags(argv, FLAGS);
  if (values.help) return { help: HELP };
  const base = values.quick ? QUICK_OPTIONS : FULL_OPTIONS;
  const list = (v: string | undefined) => (v === undefined ? undefined : names(v));
  const ints = (name: string, v: string | undefined) =>
    list(v)?.map((s) => {
      const n = Number(s);
      if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name}: '${s}' is not a positive integer`);
      return n;
    });
  const kernels = list(values.kernels)?.map((k) => {
    if (!isKernelShortName(k)) throw new UsageError(`--kernels: unknown kernel '${k}' (known: ${KERNEL_NAMES.join(', ')})`);
    return k;
  });
  const metrics = list(values.metrics)?.map((m) => {
    if (!ALL_METRICS.includes(m as Metric)) throw new UsageError(`--metrics: unknown metric '${m}' (known: ${ALL_METRICS.join(', ')})`);
    return m as Metric;
  });
  const maxTime = values['max-time'] === undefined ? base.maxTime : Number(values['max-time']);
  if (!(maxTime > 0)) throw new UsageError(`--max-time: '${values['max-time']}' is not a positive number of seconds`);
  const statistic = values.statistic ?? base.statistic;
  if (statistic !== 'min' && statistic !== 'median') throw new UsageError(`--statistic: '${statistic}' is not min or median`);
  return {
    options: {
      ...base,
      kernels: kernels ?? base.kernels,
      metrics: metrics ?? base.metrics,
      dims: ints('dims', values.dims) ?? base.dims,
      sizes: ints('sizes', values.sizes) ?? base.sizes,
      maxTime,
      statistic,
      reference: !values['no-reference'],
    },
    outDir: resolve(values.out),
  };
}
