import { parseFlags } from '@hnswlab/lab-kit';
import { BENCH_FLAGS } from './bench-flags.js';
import { ALL_ROWS, annDownloadHint, naturalMetric, resolveDatasetId } from './dataset-ids.js';
import { KERNEL_NAMES } from '@hnswlab/lab-kit';
import { isKernelName } from './load-kernel.js';
import type { MatrixBlock } from './matrix.js';
import { GRID_TEMPLATE, PRESETS } from './presets.js';
import { UsageError } from './usage-error.js';
import { TRACK_FLAGS, trackSpecs } from './tracks/track-args.js';
import type { TrackSpec } from './tracks/track-spec.js';

/** What `hnswlab bench` was asked to do. */
export interface BenchArgs {
  blocks: MatrixBlock[];
  preset: string | null;
  out: string;
  shard: { index: number; count: number } | null;
  /** Install GloVe on demand when it is asked for and missing (default true). */
  install: boolean;
  /** Reuse the finished jobs of an interrupted run with the same --out (its .partial.jsonl). */
  resume: boolean;
  /** Reuse built indexes from the index cache, and keep new ones there (default true; --no-index-cache). */
  indexCache: boolean;
  /** Progress output: 'auto' (bar on a TTY), 'plain', 'none'. */
  progress: 'auto' | 'plain' | 'none';
  /** What the reader of the report must know about the matrix (files of a preset that are absent). */
  notes: string[];
  /** Serving tracks to run after the matrix (`--track`); with --track and no --preset, `blocks` is empty. */
  tracks: TrackSpec[];
}

/**
 * Parse `hnswlab bench` flags. Without --preset, grid flags (--kernels, --strategies, --datasets,
 * --sizes, --dims) describe one block that starts from GRID_TEMPLATE (the default main block, every
 * kernel and strategy); with a preset
 * (or none of them), every flag given overrides that field in each of the preset's blocks. --dims
 * without --datasets turns a GloVe block into its synthetic stand-in (uniform, l2) at those dims. A block
 * whose datasets are set by flag and whose metric is not takes each dataset's own metric (GloVe: ip,
 * `*-angular`: cosine, else l2), one block per metric. Unknown names, flags and files are UsageErrors;
 * strategy names are checked later, once the strategies have loaded (`checkStrategyNames`).
 */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const { values } = parseFlags(argv, [...BENCH_FLAGS, ...TRACK_FLAGS]);
  const tracks = trackSpecs(values);
  const str = (name: string) => values[name] as string | undefined;
  const presetName = str('preset') ?? null;
  if (presetName !== null && !Object.hasOwn(PRESETS, presetName))
    throw new UsageError(`unknown preset '${presetName}' (known: ${Object.keys(PRESETS).join(', ')})`);
  const gridGiven = BENCH_FLAGS.some((f) => f.grid && values[f.name] !== undefined);
  // --track alone runs only the tracks: the grid flags describe their data, not a matrix
  const template = presetName ? PRESETS[presetName].blocks : tracks.length ? [] : gridGiven ? [GRID_TEMPLATE] : PRESETS.default.blocks;
  const notes: string[] = [];
  const blocks: MatrixBlock[] = [];
  for (const preset of template) {
    const b = structuredClone(preset);
    for (const f of BENCH_FLAGS) {
      const v = str(f.name);
      if (f.apply && v !== undefined) f.apply(b, v);
    }
    // --dims without --datasets asks for synthetic data: GloVe's block takes its synthetic stand-in
    if (values.dims !== undefined && values.datasets === undefined && b.offline && b.datasets.includes('glove')) {
      b.datasets = b.offline.datasets;
      if (values.metric === undefined) b.metric = b.offline.metric;
    }
    // flags replace the data: the preset's offline stand-in was for the preset's data only
    if (values.datasets !== undefined || values.dims !== undefined || values.metric !== undefined) delete b.offline;
    b.ef = b.ef.filter((e) => e >= b.k);
    if (!b.ef.length) throw new UsageError(`--ef: every value is below k (${b.k})`);
    b.datasets = presetDatasets(b, presetName, values.datasets !== undefined, notes);
    checkBlock(b);
    // datasets chosen by flag, and the ann preset's files, are measured under their own metric
    blocks.push(...byMetric(b, (values.datasets !== undefined || presetName === 'ann') && values.metric === undefined));
  }
  if (blocks.some((b) => b.rerank?.some((r) => r > 1)) && !blocks.some((b) => b.stores?.some((x) => x !== 'f32')))
    throw new UsageError('--rerank sweeps the quantised stores: add them with --stores (e.g. --stores f32,f16,i8,b1)');
  return {
    blocks,
    preset: presetName ?? (gridGiven || tracks.length ? null : 'default'),
    out: str('out') ?? 'bench-out',
    shard: shard(str('shard')),
    install: values['no-install'] !== true,
    resume: values.resume === true,
    indexCache: values['no-index-cache'] !== true,
    progress: progress(str('progress')),
    notes,
    tracks,
  };
}

/** Kernel names and the sizes and dims each dataset can take; a problem is a UsageError. */
function checkBlock(b: MatrixBlock): void {
  for (const k of b.kernels)
    if (!isKernelName(k))
      throw new UsageError(
        `unknown kernel '${k}' (known: ${[...KERNEL_NAMES, 'best'].join(', ')}, or a module specifier such as ./my-kernel.js or @scope/kernel)`,
      );
  for (const d of b.datasets) {
    const synthetic = d === 'clustered' || d === 'uniform';
    if ((synthetic || d === 'glove') && b.sizes.includes(ALL_ROWS))
      throw new UsageError(`--sizes all needs a file dataset; '${d}' has no fixed size`);
    if (synthetic && b.dims.some((x) => x < 1)) throw new UsageError(`dataset '${d}' needs --dims (e.g. --dims 128)`);
  }
}

/** Resolve every dataset id (`ann:NAME` → its file); a preset's missing ann-benchmarks files are left out with a note. */
function presetDatasets(b: MatrixBlock, preset: string | null, given: boolean, notes: string[]): string[] {
  if (given || preset !== 'ann') return b.datasets.map(resolveDatasetId);
  const found: string[] = [];
  for (const id of b.datasets) {
    try {
      found.push(resolveDatasetId(id));
    } catch {
      notes.push(`${id.slice(4)} not run: ${annDownloadHint(id.slice(4))}`);
    }
  }
  if (!found.length)
    throw new UsageError(
      `the ann preset found none of its files: ${b.datasets.map((d) => `${d.slice(4)}.hdf5`).join(', ')} (${annDownloadHint('NAME')}), or name them: --datasets FILE.hdf5,...`,
    );
  return found;
}

/** The block as given, or (when datasets were set by flag without --metric) one block per natural metric. */
function byMetric(b: MatrixBlock, natural: boolean): MatrixBlock[] {
  if (!natural) return [b];
  const groups = new Map<string, string[]>();
  for (const d of b.datasets) {
    const m = naturalMetric(d);
    groups.set(m, [...(groups.get(m) ?? []), d]);
  }
  return [...groups].map(([metric, datasets]) => ({ ...structuredClone(b), metric: metric as MatrixBlock['metric'], datasets }));
}

function shard(value: string | undefined): BenchArgs['shard'] {
  if (value === undefined) return null;
  const m = /^(\d+)\/(\d+)$/.exec(value);
  if (!m) throw new UsageError(`--shard must look like 2/4, got '${value}'`);
  const s = { index: Number(m[1]), count: Number(m[2]) };
  if (s.count < 1 || s.index < 1 || s.index > s.count) throw new UsageError(`--shard ${value}: i must be in 1..n`);
  return s;
}

function progress(value: string | undefined): BenchArgs['progress'] {
  const p = value ?? 'auto';
  if (p !== 'auto' && p !== 'plain' && p !== 'none') throw new UsageError(`--progress must be auto, plain or none, got '${p}'`);
  return p;
}
