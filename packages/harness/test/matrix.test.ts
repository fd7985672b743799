import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  expandMatrix,
  jobCost,
  offlineBlocks,
  parseBenchArgs,
  peerKey,
  PRESETS,
  shardJobs,
  splitDatasets,
  UsageError,
  type MatrixBlock,
} from '../src/index.js';

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

  it('shards cells into disjoint slices of about equal cost; each shard runs the peers of the data it has cells of', () => {
    const jobs = expandMatrix([block]);
    const shards = [1, 2, 3].map((i) => shardJobs(jobs, i, 3));
    const cells = shards.map((s) => s.filter((j) => j.kind === 'cell'));
    expect(cells.flat()).toHaveLength(jobs.filter((j) => j.kind === 'cell').length);
    expect(new Set(cells.flat())).toEqual(new Set(jobs.filter((j) => j.kind === 'cell')));
    for (const s of shards) {
      const keys = new Set(s.filter((j) => j.kind === 'cell').map((j) => peerKey(j.spec)));
      const peers = s.filter((j) => j.kind === 'peer');
      expect(peers.every((p) => keys.has(peerKey(p.spec)))).toBe(true);
      // every peer of a data set the shard measures is there, so its ratios stay on one machine
      expect(peers).toHaveLength(jobs.filter((j) => j.kind === 'peer' && keys.has(peerKey(j.spec))).length);
    }
    const costs = cells.map((c) => c.reduce((a, j) => a + jobCost(j), 0));
    expect(Math.max(...costs) / Math.min(...costs)).toBeLessThan(2);
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

  it('says what is wrong with a bad flag or name, as a usage error', () => {
    const bad = (argv: string[], re: RegExp) => {
      expect(() => parseBenchArgs(argv)).toThrow(UsageError);
      expect(() => parseBenchArgs(argv)).toThrow(re);
    };
    bad(['--kernel', 'js'], /unknown flag --kernel/);
    bad(['--preset', 'nope'], /unknown preset 'nope' \(known: quick, default/);
    bad(['--sizes', 'ten'], /not a number/);
    bad(['--shard', '3/2'], /shard/);
    bad(['--metric', 'hamming'], /unknown metric 'hamming' \(known: l2/);
    bad(['--peers', 'faiss'], /unknown peer/);
    bad(['--kernels', 'nosuch'], /unknown kernel 'nosuch' \(known: js, wasm, native, best/);
    bad(['--datasets', 'nosuch'], /unknown dataset 'nosuch' \(known: glove, clustered, uniform/);
    bad(['--datasets', 'hdf5:/nowhere/x.hdf5'], /does not exist/);
    bad(['--sizes', 'all'], /--sizes all needs a file dataset/);
    bad(['--progress', 'loud'], /--progress/);
    bad(['stray'], /stray/);
  });

  it('accepts kernels given as module specifiers', () => {
    expect(parseBenchArgs(['--kernels', './my-kernel.js,@scope/k,best']).blocks[0].kernels).toEqual(['./my-kernel.js', '@scope/k', 'best']);
  });

  it('runs the default preset on GloVe with its offline stand-in; --dims alone asks for synthetic data', () => {
    const main = parseBenchArgs([]).blocks[0];
    expect(main).toMatchObject({ datasets: ['glove'], metric: 'ip', offline: { datasets: ['uniform'], metric: 'l2' } });
    const synth = parseBenchArgs(['--sizes', '300', '--dims', '16']).blocks;
    expect(synth).toHaveLength(1);
    expect(synth[0]).toMatchObject({ datasets: ['uniform'], dims: [16], sizes: [300], metric: 'l2' });
    expect(synth[0].offline).toBeUndefined();
  });

  it('swaps GloVe blocks for their offline stand-in, with a note saying which and why', () => {
    const notes: string[] = [];
    const blocks = offlineBlocks(PRESETS.default.blocks, 'no network', notes);
    expect(blocks.map((b) => [b.name, b.datasets, b.metric])).toEqual([
      ['main', ['uniform'], 'l2'],
      ['main', ['uniform'], 'l2'],
      ['dims', ['uniform'], 'l2'],
      ['scale', ['uniform'], 'l2'],
    ]);
    expect(blocks.every((b) => b.offline === undefined)).toBe(true);
    expect(notes).toEqual([
      'Offline fallback: GloVe-100 could not be used (no network). These blocks ran on seeded synthetic data instead: main (uniform 100-d, l2); scale (uniform 100-d, l2).',
    ]);
    // a block without a stand-in keeps GloVe (its cells say 'unavailable' with the install command)
    expect(offlineBlocks(PRESETS.glove.blocks, 'no network', [])[0].datasets).toEqual(['glove']);
  });

  it('gives datasets set by flag their own metric, one block per metric', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hnswlab-args-'));
    const angular = join(dir, 'tiny-angular.hdf5');
    writeFileSync(angular, '');
    const blocks = parseBenchArgs(['--datasets', `glove,clustered,hdf5:${angular}`]).blocks;
    expect(blocks.map((b) => [b.metric, b.datasets])).toEqual([
      ['ip', ['glove']],
      ['l2', ['clustered']],
      ['cosine', [`hdf5:${angular}`]],
    ]);
    expect(parseBenchArgs(['--datasets', 'clustered', '--metric', 'cosine']).blocks[0].metric).toBe('cosine');
  });

  it('runs the ann preset on the files it finds, and says which are missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hnswlab-ann-'));
    const before = process.env.HNSWLAB_ANN_DIR;
    process.env.HNSWLAB_ANN_DIR = dir;
    try {
      expect(() => parseBenchArgs(['--preset', 'ann'])).toThrow(/found none of its files/);
      writeFileSync(join(dir, 'sift-128-euclidean.hdf5'), '');
      writeFileSync(join(dir, 'nytimes-256-angular.hdf5'), '');
      const a = parseBenchArgs(['--preset', 'ann']);
      expect(a.blocks.map((b) => [b.metric, b.datasets.map((d) => d.split('/').pop())])).toEqual([
        ['l2', ['sift-128-euclidean.hdf5']],
        ['cosine', ['nytimes-256-angular.hdf5']],
      ]);
      expect(a.blocks[0].sizes).toEqual([Number.MAX_SAFE_INTEGER]);
      expect(a.notes.join('\n')).toMatch(/glove-100-angular not run: download http:\/\/ann-benchmarks.com\/glove-100-angular.hdf5/);
      expect(parseBenchArgs(['--datasets', 'ann:sift-128-euclidean']).blocks[0].datasets[0]).toBe(
        `hdf5:${join(dir, 'sift-128-euclidean.hdf5')}`,
      );
    } finally {
      if (before === undefined) delete process.env.HNSWLAB_ANN_DIR;
      else process.env.HNSWLAB_ANN_DIR = before;
    }
  });

  it('splits a dataset list at commas, keeping the extra files of fvecs, bvecs and npy ids', () => {
    expect(splitDatasets('glove,fvecs:a.fvecs,q.fvecs,gt.ivecs,uniform,npy:b.npy,c.npy,x.hdf5')).toEqual([
      'glove',
      'fvecs:a.fvecs,q.fvecs,gt.ivecs',
      'uniform',
      'npy:b.npy,c.npy',
      'x.hdf5',
    ]);
  });

  it('takes repeated list flags as one list', () => {
    expect(parseBenchArgs(['--kernels', 'js', '--kernels', 'wasm', '--dims', '8']).blocks[0].kernels).toEqual(['js', 'wasm']);
  });
});
