import { KERNEL_NAMES } from '@hnswlab/lab-kit';
import { ALL_ROWS, ANN_DATASETS } from './dataset-ids.js';
import type { MatrixBlock } from './matrix.js';

const EF = [10, 16, 32, 64, 128, 256];
const EF_REAL = [10, 16, 24, 32, 48, 64, 96, 128, 192, 256];
const ALL_STRATEGIES = ['sequential', 'batched', 'parallel', 'segmented', 'rounds'];
const KERNELS: string[] = [...KERNEL_NAMES];

const base: Omit<MatrixBlock, 'name' | 'kernels' | 'strategies' | 'datasets' | 'sizes' | 'dims'> = {
  threads: [2],
  metric: 'l2',
  M: 16,
  efConstruction: 200,
  ef: EF,
  k: 10,
  queries: 200,
  seed: 42,
  repeat: 1,
  peers: ['hnswlib-node', 'usearch'],
};

// Without the network GloVe cannot be installed: the default preset then runs the same cells on
// seeded uniform vectors of GloVe's size and dimension (the hard case for any HNSW: recall does not
// saturate), and the report says so.
const GLOVE_OFFLINE: MatrixBlock['offline'] = { datasets: ['uniform'], dims: [100], metric: 'l2' };

/**
 * The default preset's main block with every kernel and strategy: what grid flags (--kernels,
 * --strategies, ...) without --preset start from.
 */
export const GRID_TEMPLATE: MatrixBlock = {
  ...base,
  name: 'main',
  kernels: KERNELS,
  strategies: ALL_STRATEGIES,
  datasets: ['glove'],
  sizes: [20_000],
  dims: [100],
  metric: 'ip',
  ef: EF_REAL,
  offline: GLOVE_OFFLINE,
};

/**
 * Named matrices. 'default' is what `pnpm bench` runs with no flags: GloVe-100 (installed on demand)
 * with a synthetic dimension curve, under five minutes on two cores. Kernels or strategies that are
 * not available show up as 'unavailable' rows.
 */
export const PRESETS: Readonly<Record<string, { description: string; blocks: MatrixBlock[] }>> = {
  quick: {
    description: 'seconds: js kernel, sequential and batched, 2,000 × 32-d clustered, with peers',
    blocks: [
      {
        ...base,
        name: 'main',
        kernels: ['js'],
        strategies: ['sequential', 'batched'],
        datasets: ['clustered'],
        sizes: [2000],
        dims: [32],
        ef: [10, 20, 40, 80],
        queries: 100,
      },
    ],
  },
  default: {
    description:
      'wasm and native × every strategy, and js × batched, on GloVe-100 (first 20,000 words, inner product); ' +
      'a dimension curve (32/128/512-d uniform, 4,000 vectors); a scale curve (GloVe 5k–20k); peers beside each. ' +
      'Offline: uniform 100-d instead of GloVe',
    blocks: [
      // Real data: GloVe is installed on demand (about 118 MB once). Recall at ef=64 is about 0.92
      // here, so the recall–QPS curves have a shape; synthetic clusters saturate at 1.0. The js
      // kernel is the scalar reference twin: one strategy of it shows the gap and keeps the run short.
      { ...GRID_TEMPLATE, kernels: ['wasm', 'native'] },
      { ...GRID_TEMPLATE, kernels: ['js'], strategies: ['batched'] },
      // Uniform at 4,000: recall at ef=64 is about 0.99 at 32-d and falls with dim (clustered data
      // gives 1.0 at every dim, a flat curve).
      {
        ...base,
        name: 'dims',
        kernels: KERNELS,
        strategies: ['batched'],
        datasets: ['uniform'],
        sizes: [4000],
        dims: [32, 128, 512],
        ef: [10, 16, 32, 64, 128],
        queries: 100,
        peers: ['hnswlib-node'],
      },
      // The 20,000 point is the main block's cell (same spec: run once). GloVe, like any real set of
      // high intrinsic dimension, costs more per insert as n grows; hnswlib-node beside it tells the
      // data from a super-linear term of ours.
      {
        ...base,
        name: 'scale',
        kernels: ['best'],
        strategies: ['batched'],
        datasets: ['glove'],
        sizes: [5000, 10_000, 20_000],
        dims: [100],
        metric: 'ip',
        ef: EF_REAL,
        peers: ['hnswlib-node'],
        offline: GLOVE_OFFLINE,
      },
    ],
  },
  scale: {
    description: 'the scale curve: n = 10k, 100k, 1M, 128-d clustered, best kernel, batched and parallel',
    blocks: [
      {
        ...base,
        name: 'scale',
        kernels: ['best'],
        strategies: ['batched', 'parallel'],
        datasets: ['clustered'],
        sizes: [10_000, 100_000, 1_000_000],
        dims: [128],
        ef: [16, 32, 64, 128],
        peers: ['hnswlib-node'],
      },
    ],
  },
  dims: {
    description: 'the dimension curve: 32 to 768-d, 10,000 clustered vectors, every kernel, batched',
    blocks: [
      {
        ...base,
        name: 'dims',
        kernels: KERNELS,
        strategies: ['batched'],
        datasets: ['clustered'],
        sizes: [10_000],
        dims: [32, 64, 128, 256, 512, 768],
        ef: [16, 64, 128],
        peers: ['hnswlib-node'],
      },
    ],
  },
  glove: {
    description:
      'GloVe-100 (100,000 words, L2-normalised, inner product), 1,000 queries, M=16, efConstruction=200, every kernel, batched and parallel, hnswlib-node and usearch beside',
    blocks: [
      {
        ...base,
        name: 'glove',
        kernels: KERNELS,
        strategies: ['batched', 'parallel'],
        datasets: ['glove'],
        sizes: [100_000],
        dims: [100],
        metric: 'ip',
        ef: [10, 16, 24, 32, 48, 64, 96, 128, 192, 256, 400],
        queries: 1000,
      },
    ],
  },
  boundaries: {
    description:
      'the boundary axis (issue 12): every kernel × pair, node, layer, insert, batched (1 thread) and parallel (2), on GloVe-100 ' +
      '(100,000 words, ip), 10,000 × 128 clustered and 10,000 × 32 uniform, peers beside; each single-thread cell also profiles ' +
      'one build for its JS-side share. Offline: uniform 100-d instead of GloVe',
    blocks: [
      {
        ...base,
        name: 'glove',
        kernels: KERNELS,
        strategies: ['batched', 'parallel'],
        boundaries: ['pair', 'node', 'layer', 'insert'],
        datasets: ['glove'],
        sizes: [100_000],
        dims: [100],
        metric: 'ip',
        ef: [10, 16, 24, 32, 48, 64, 96, 128, 192, 256, 400],
        queries: 1000,
        offline: GLOVE_OFFLINE,
      },
      {
        ...base,
        name: 'clustered-128',
        kernels: KERNELS,
        strategies: ['batched', 'parallel'],
        boundaries: ['pair', 'node', 'layer', 'insert'],
        datasets: ['clustered'],
        sizes: [10_000],
        dims: [128],
        ef: EF,
      },
      {
        ...base,
        name: 'uniform-32',
        kernels: KERNELS,
        strategies: ['batched', 'parallel'],
        boundaries: ['pair', 'node', 'layer', 'insert'],
        datasets: ['uniform'],
        sizes: [10_000],
        dims: [32],
        ef: EF,
      },
    ],
  },
  stores: {
    description:
      'the precision axis (issue 17): every kernel × store, batched, on GloVe-100 (100,000 words, ip) and 10,000 × 128 ' +
      'clustered, peers beside: f32, f16 and i8 with their codes only, then f16 and i8 keeping float32 rows and b1 with ' +
      'rerank 2 and 4 (a store a kernel does not implement is an unavailable row). Offline: uniform 100-d instead of GloVe',
    blocks: [
      ...storeBlocks('glove', {
        datasets: ['glove'],
        sizes: [100_000],
        dims: [100],
        metric: 'ip',
        ef: EF_REAL,
        queries: 1000,
        offline: GLOVE_OFFLINE,
      }),
      ...storeBlocks('clustered-128', { datasets: ['clustered'], sizes: [10_000], dims: [128], ef: EF }),
    ],
  },
  ann: {
    description:
      `ann-benchmarks HDF5 files, whole, with their shipped neighbours: ${ANN_DATASETS.join(', ')} ` +
      '(those present in $HNSWLAB_ANN_DIR, or --datasets FILE.hdf5,...); best kernel, batched and parallel, peers beside',
    blocks: [
      {
        ...base,
        name: 'ann',
        kernels: ['best'],
        strategies: ['batched', 'parallel'],
        datasets: ANN_DATASETS.map((name) => `ann:${name}`),
        sizes: [ALL_ROWS],
        dims: [0],
        ef: [10, 16, 24, 32, 48, 64, 96, 128, 192, 256, 400],
        queries: 1000,
      },
    ],
  },
};

/**
 * The precision axis on one data set, as two blocks: the stores with their codes only (f32, f16, i8),
 * and the rerank sweeps (f16 and i8 keeping float32 rows, b1 at its default, which keeps them). The
 * second block's f32 cell would repeat the first's, so it is left out.
 */
function storeBlocks(name: string, data: Pick<MatrixBlock, 'datasets' | 'sizes' | 'dims'> & Partial<MatrixBlock>): MatrixBlock[] {
  const block = { ...base, kernels: KERNELS, strategies: ['batched'], ...data };
  return [
    { ...block, name: `${name}-codes`, stores: ['f32', 'f16', 'i8'] },
    { ...block, name: `${name}-rerank`, stores: ['f16', 'i8', 'b1'], rerank: [1, 2, 4], peers: [] },
  ];
}
