import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { STORES } from '@hnswlab/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  expandMatrix,
  htmlReport,
  normalizeCellSpec,
  parseBenchArgs,
  runMatrix,
  storeGroups,
  storeTable,
  summaryMarkdown,
  UsageError,
  type MatrixBlock,
} from '../src/index.js';

beforeAll(() => {
  process.env.HNSWLAB_CACHE = mkdtempSync(join(tmpdir(), 'hnswlab-cache-'));
});

const F32_ONLY = pathToFileURL(join(import.meta.dirname, 'fixtures', 'f32-only-kernel.js')).href;

const block: MatrixBlock = {
  name: 'stores',
  kernels: ['js'],
  strategies: ['batched'],
  stores: [...STORES],
  rerank: [1, 2, 4],
  datasets: ['clustered'],
  sizes: [300],
  dims: [16],
  threads: [1],
  metric: 'l2',
  M: 8,
  efConstruction: 32,
  ef: [10, 20, 40],
  k: 10,
  queries: 20,
  seed: 7,
  repeat: 1,
  peers: [],
};

describe('the precision axis', () => {
  it('parses --stores and --rerank, and refuses an unknown store', () => {
    const args = parseBenchArgs(['--kernels', 'js', '--stores', 'f32,i8,b1', '--rerank', '1,2,4']);
    expect(args.blocks[0].stores).toEqual(['f32', 'i8', 'b1']);
    expect(args.blocks[0].rerank).toEqual([1, 2, 4]);
    expect(() => parseBenchArgs(['--stores', 'f8'])).toThrow(UsageError);
    expect(() => parseBenchArgs(['--stores', 'f8'])).toThrow(`--stores: unknown store 'f8' (known: ${STORES.join(', ')})`);
    expect(() => parseBenchArgs(['--rerank', '0'])).toThrow(/--rerank needs positive values/);
    expect(() => parseBenchArgs(['--kernels', 'js', '--rerank', '2'])).toThrow(
      /--rerank sweeps the quantised stores: add them with --stores/,
    );
    expect(parseBenchArgs(['--kernels', 'js', '--rerank', '1']).blocks[0].rerank).toEqual([1]);
    // --stores is a grid flag: alone it describes one block, like --kernels
    expect(parseBenchArgs(['--stores', 'i8']).preset).toBeNull();
    expect(parseBenchArgs([]).blocks.every((b) => b.stores === undefined && b.rerank === undefined)).toBe(true);
  });

  it('expands a cell per store: f32 as before, rerank and kept float32 rows on the quantised ones', () => {
    const specs = expandMatrix([block]).map((j) => j.spec);
    expect(specs.map((s) => s.store ?? 'f32')).toEqual([...STORES]);
    const by = (store: string) => specs.find((s) => (s.store ?? 'f32') === store)!;
    expect('store' in by('f32') || 'rerank' in by('f32') || 'keepFullPrecision' in by('f32')).toBe(false);
    expect(by('f16')).toMatchObject({ store: 'f16', rerank: [2, 4], keepFullPrecision: true });
    expect(by('i8')).toMatchObject({ store: 'i8', rerank: [2, 4], keepFullPrecision: true });
    expect(by('b1')).toMatchObject({ store: 'b1', rerank: [2, 4] });
    expect('keepFullPrecision' in by('b1')).toBe(false);
    // without a factor above 1, f16 and i8 keep their codes only
    const plain = expandMatrix([{ ...block, rerank: [1] }]).map((j) => j.spec);
    for (const s of plain) expect('rerank' in s || 'keepFullPrecision' in s).toBe(false);
    // the f32 cell of the axis is the cell without the axis
    const { stores: _s, rerank: _r, ...none } = block;
    expect(expandMatrix([none]).map((j) => j.spec)).toEqual([by('f32')]);
    expect(() => normalizeCellSpec({ kernel: 'js', strategy: 'batched', store: 'f8' as never })).toThrow(/cell store must be one of/);
  });

  it('has a stores preset: codes-only f32, f16 and i8, then f16 and i8 keeping float32 rows and b1 with rerank', () => {
    const jobs = expandMatrix(parseBenchArgs(['--preset', 'stores', '--kernels', 'js']).blocks).filter((j) => j.kind === 'cell');
    const labels = jobs.map(
      (j) =>
        `${j.spec.dataset}:${j.spec.store ?? 'f32'}${j.spec.keepFullPrecision ? '+f32' : ''}${j.spec.rerank ? ` r=${j.spec.rerank.join(',')}` : ''}`,
    );
    for (const d of ['glove', 'clustered'])
      expect(labels.filter((l) => l.startsWith(`${d}:`))).toEqual(
        [`f32`, `f16`, `i8`, `f16+f32 r=2,4`, `i8+f32 r=2,4`, `b1 r=2,4`].map((x) => `${d}:${x}`),
      );
  });

  it('runs every store on the js kernel, with rerank sweeps, the table and the HTML section', async () => {
    const report = await runMatrix([block], { progress: null, command: 'test' });
    const cell = (store: string) => report.cells.find((c) => (c.spec.store ?? 'f32') === store)!;
    for (const s of STORES) expect(cell(s).status, cell(s).reason).toBe('ok');
    expect(cell('f32').store).toBeUndefined();
    expect(cell('f16').store).toEqual({ name: 'f16', keepFullPrecision: true, clamped: 0 });
    expect(cell('b1').store).toMatchObject({ name: 'b1', keepFullPrecision: true });
    for (const s of ['f16', 'i8', 'b1']) {
      expect(cell(s).rerankSearch!.map((r) => r.rerank)).toEqual([2, 4]);
      for (const r of cell(s).rerankSearch!) expect(r.points.map((p) => p.ef)).toEqual([10, 20, 40]);
    }
    // recall is counted on float32 distances: f16 stays near f32, and rerank brings b1 back up
    const recall = (s: string) => cell(s).search!.at(-1)!.recall;
    expect(recall('f16')).toBeGreaterThan(recall('f32') - 0.05);
    expect(cell('b1').rerankSearch!.at(-1)!.points.at(-1)!.recall).toBeGreaterThanOrEqual(recall('b1'));
    // b1's codes are 1/32 of f32's, plus the float32 rows it keeps: still more than f32 alone
    expect(cell('b1').memory!.bytesPerVector.vectors).toBeGreaterThan(cell('f32').memory!.bytesPerVector.vectors);

    const groups = storeGroups(report);
    expect(groups).toHaveLength(1);
    expect(groups[0].rerank).toEqual([2, 4]);
    const t = storeTable(groups[0]);
    expect(t.rows.map((r) => r[1])).toEqual([...STORES]);
    expect(t.head).toContain('recall r=4 (ef=20)');
    expect(t.head[6]).toBe('× f32');
    expect(t.rows[0][6]).toBe('1.00×');
    const md = summaryMarkdown(report);
    expect(md).toContain('### stores: ');
    expect(md).toMatch(/\| js\/batched \| i8 \| yes \|/);
    const html = htmlReport(report);
    expect(html).toContain('<h2 id="stores">Precision: quantised stores</h2>');
    expect(html).toContain('data-chart="stores"');
  }, 120_000);

  it('reports a store the kernel does not list as an unavailable cell, and runs the rest', async () => {
    const report = await runMatrix([{ ...block, kernels: [F32_ONLY], stores: ['f32', 'i8'], rerank: [1] }], {
      progress: null,
      command: 'test',
    });
    const [f32, i8] = report.cells;
    expect(f32.status, f32.reason).toBe('ok');
    expect(i8.status).toBe('unavailable');
    expect(i8.reason).toBe("unavailable: the js kernel does not implement store 'i8' (it implements f32)");
    const t = storeTable(storeGroups(report)[0]);
    expect(t.rows[1]).toContain(i8.reason);
  }, 60_000);
});
