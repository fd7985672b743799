import { describe, expect, it } from 'vitest';
import { expandMatrix, parseBenchArgs, PRESETS, shardJobs, type MatrixBlock } from '../src/index.js';

const block: MatrixBlock = {
  ...PRESETS.quick.blocks[0],
  kernels: ['js', 'wasm'],
  strategies: ['sequential', 'batched'],
  sizes: [300, 600],
  dims: [16],
  threads: [1, 2],
  peers: ['hnswlib-node', 'usearch'],
};

describe('matrix', () => {
  it('expands a block into every combination, data sets grouped, peers once per data set', () => {
    const jobs = expandMatrix([block]);
    const cells = jobs.filter((j) => j.kind === 'cell');
    const peers = jobs.filter((j) => j.kind === 'peer');
    expect(cells).toHaveLength(2 * 2 * 2 * 2);
    // per size: hnswlib-node once (1 thread), usearch at 1 and 2 threads
    expect(peers).toHaveLength(2 * 3);
    const sizes = jobs.map((j) => j.spec.n);
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
  });

  it('drops duplicate cells across blocks', () => {
    expect(expandMatrix([block, block])).toHaveLength(expandMatrix([block]).length);
  });

  it('shards into disjoint slices that together are the whole job list', () => {
    const jobs = expandMatrix([block]);
    const shards = [1, 2, 3].map((i) => shardJobs(jobs, i, 3));
    expect(shards.flat()).toHaveLength(jobs.length);
    expect(new Set(shards.flat())).toEqual(new Set(jobs));
    expect(() => shardJobs(jobs, 4, 3)).toThrow(/shard/);
  });
});

describe('parseBenchArgs', () => {
  it('runs the default preset without flags', () => {
    const a = parseBenchArgs([]);
    expect(a.preset).toBe('default');
    expect(a.blocks.map((b) => b.name)).toEqual(PRESETS.default.blocks.map((b) => b.name));
    expect(a.out).toBe('bench-out');
  });

  it('makes one block from grid flags, with k/M suffixes and lists', () => {
    const a = parseBenchArgs([
      '--kernels',
      'js,wasm',
      '--strategies=batched',
      '--sizes',
      '2k,1M',
      '--dims',
      '16',
      '--ef',
      '10,20',
      '--threads',
      '1,2',
      '--M',
      '8',
      '--ef-construction',
      '64',
      '--peers',
      'none',
      '--shard',
      '2/3',
      '--out',
      'x',
    ]);
    expect(a.preset).toBeNull();
    expect(a.blocks).toHaveLength(1);
    expect(a.blocks[0]).toMatchObject({
      kernels: ['js', 'wasm'],
      strategies: ['batched'],
      sizes: [2000, 1_000_000],
      dims: [16],
      ef: [10, 20],
      threads: [1, 2],
      M: 8,
      efConstruction: 64,
      peers: [],
    });
    expect(a.shard).toEqual({ index: 2, count: 3 });
    expect(a.out).toBe('x');
  });

  it('applies flags to every block of a named preset', () => {
    const a = parseBenchArgs(['--preset', 'glove', '--out', 'DIR', '--queries', '100']);
    expect(a.preset).toBe('glove');
    expect(a.blocks[0]).toMatchObject({ datasets: ['glove'], sizes: [100_000], metric: 'ip', queries: 100 });
  });

  it('says what is wrong with a bad flag', () => {
    expect(() => parseBenchArgs(['--kernel', 'js'])).toThrow(/unknown flag --kernel/);
    expect(() => parseBenchArgs(['--preset', 'nope'])).toThrow(/unknown preset/);
    expect(() => parseBenchArgs(['--sizes', 'ten'])).toThrow(/not a number/);
    expect(() => parseBenchArgs(['--shard', '3/2'])).toThrow(/shard/);
    expect(() => parseBenchArgs(['--metric', 'hamming'])).toThrow(/metric/);
    expect(() => parseBenchArgs(['--peers', 'faiss'])).toThrow(/unknown peer/);
  });
});
