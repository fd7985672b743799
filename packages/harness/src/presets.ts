import type { MatrixBlock } from './matrix.js';

const EF = [10, 16, 32, 64, 128, 256];
const ALL_STRATEGIES = ['sequential', 'batched', 'parallel', 'segmented', 'rounds'];
const KERNELS = ['js', 'wasm', 'native'];

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

/**
 * Named matrices. 'default' is what `pnpm bench` runs with no flags: seeded synthetic data, under five
 * minutes on two cores. Kernels or strategies that are not available show up as 'unavailable' rows.
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
      'every kernel × strategy on 10,000 × 128-d uniform, a dimension curve (32/128/512 at 2,000) and a scale curve (2.5k–20k, 32-d clustered), peers beside each',
    blocks: [
      // uniform, not clustered: well-separated clusters give recall 1.0 at every ef, a flat recall–QPS curve.
      // The scale curve uses clustered: on uniform data the work per insert grows faster than log n at
      // small n for every HNSW (high intrinsic dimension), which would hide a real super-linear term.
      { ...base, name: 'main', kernels: KERNELS, strategies: ALL_STRATEGIES, datasets: ['uniform'], sizes: [10_000], dims: [128] },
      {
        ...base,
        name: 'dims',
        kernels: KERNELS,
        strategies: ['batched'],
        datasets: ['clustered'],
        sizes: [2000],
        dims: [32, 128, 512],
        ef: [16, 64],
        queries: 100,
        peers: ['hnswlib-node'],
      },
      {
        ...base,
        name: 'scale',
        kernels: ['best'],
        strategies: ['batched'],
        datasets: ['clustered'],
        sizes: [2500, 5000, 10_000, 20_000],
        dims: [32],
        ef: [16, 64],
        queries: 100,
        peers: ['hnswlib-node'],
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
};
