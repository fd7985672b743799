import type { Metric } from '@hnswlab/core/contracts';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isKernelShortName, KERNEL_NAMES } from '@hnswlab/lab-kit';
import { ALL_METRICS, FULL_OPTIONS, QUICK_OPTIONS, type KernelBenchOptions } from './run-kernel-bench.js';

export const HELP = `hnswlab-kernel-bench: time every kernel's batched distance call against a plain C++ loop.

  --kernels LIST    ${KERNEL_NAMES.join(',')} (default: all; a kernel that cannot load is skipped with its reason)
  --metrics LIST    l2,ip,cosine (default: all)
  --dims LIST       default 32,64,128,256,384,512,768,1024,1536
  --sizes LIST      stored vectors per call, default 32,1024
  --quick           CI size: dims 128,768, metrics l2,ip, short timings (well under a minute)
  --max-time S      benchmark.js seconds per case (default 0.25, quick 0.08)
  --statistic S     min (default) or median of the samples, for kernels and reference alike
  --no-reference    skip the C++ reference (no g++ needed; no ratios)
  --out DIR         where the JSON goes (default ./bench-out): DIR/kernels-<timestamp>.json
  --help

Markdown goes to stdout, progress to stderr.`;

/** The CLI arguments as bench options (throws a readable error on a bad value), or the help text. */
export function parseCli(argv: string[]): { options: KernelBenchOptions; outDir: string } | { help: string } {
  const { values } = parseArgs({
    args: argv,
    options: {
      kernels: { type: 'string' },
      metrics: { type: 'string' },
      dims: { type: 'string' },
      sizes: { type: 'string' },
      quick: { type: 'boolean', default: false },
      'max-time': { type: 'string' },
      'no-reference': { type: 'boolean', default: false },
      statistic: { type: 'string' },
      out: { type: 'string', default: 'bench-out' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) return { help: HELP };
  const base = values.quick ? QUICK_OPTIONS : FULL_OPTIONS;
  const list = (v: string | undefined) =>
    v === undefined
      ? undefined
      : v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  const ints = (name: string, v: string | undefined) =>
    list(v)?.map((s) => {
      const n = Number(s);
      if (!Number.isInteger(n) || n < 1) throw new Error(`--${name}: '${s}' is not a positive integer`);
      return n;
    });
  const kernels = list(values.kernels)?.map((k) => {
    if (!isKernelShortName(k)) throw new Error(`--kernels: unknown kernel '${k}' (known: ${KERNEL_NAMES.join(', ')})`);
    return k;
  });
  const metrics = list(values.metrics)?.map((m) => {
    if (!ALL_METRICS.includes(m as Metric)) throw new Error(`--metrics: unknown metric '${m}' (known: ${ALL_METRICS.join(', ')})`);
    return m as Metric;
  });
  const maxTime = values['max-time'] === undefined ? base.maxTime : Number(values['max-time']);
  if (!(maxTime > 0)) throw new Error(`--max-time: '${values['max-time']}' is not a positive number of seconds`);
  const statistic = values.statistic ?? base.statistic;
  if (statistic !== 'min' && statistic !== 'median') throw new Error(`--statistic: '${statistic}' is not min or median`);
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
