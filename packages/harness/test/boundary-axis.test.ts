import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  boundaryGroups,
  boundaryTable,
  expandMatrix,
  htmlReport,
  kernelShare,
  loadKernel,
  parseBenchArgs,
  runMatrix,
  summaryMarkdown,
  UsageError,
  type CellResult,
  type MatrixBlock,
} from '../src/index.js';

beforeAll(() => {
  process.env.HNSWLAB_CACHE = mkdtempSync(join(tmpdir(), 'hnswlab-cache-'));
});

const available = async (name: string) =>
  loadKernel(name).then(
    () => true,
    () => false,
  );
const kernels = ['js', ...((await available('wasm')) ? ['wasm'] : []), ...((await available('native')) ? ['native'] : [])];

const block: MatrixBlock = {
  name: 'boundaries',
  kernels,
  strategies: ['batched'],
  boundaries: ['pair', 'node', 'layer', 'insert'],
  datasets: ['clustered'],
  sizes: [600],
  dims: [16],
  threads: [2],
  metric: 'l2',
  M: 8,
  efConstruction: 32,
  ef: [10, 20, 40],
  k: 10,
  queries: 20,
  seed: 5,
  repeat: 1,
  peers: [],
};

describe('the boundary axis', () => {
  it('expands a cell per kernel × boundary, and no boundary in the spec without the axis', () => {
    const jobs = expandMatrix([block]);
    expect(jobs.map((j) => j.spec.boundary)).toEqual(kernels.flatMap(() => ['pair', 'node', 'layer', 'insert']));
    const { boundaries: _, ...plain } = block;
    for (const j of expandMatrix([plain])) expect('boundary' in j.spec).toBe(false);
  });

  it('parses --boundaries and refuses an unknown one', () => {
    const args = parseBenchArgs(['--kernels', 'js', '--boundaries', 'pair,node']);
    expect(args.blocks[0].boundaries).toEqual(['pair', 'node']);
    expect(() => parseBenchArgs(['--boundaries', 'edge'])).toThrow(UsageError);
    expect(() => parseBenchArgs(['--boundaries', 'edge'])).toThrow(/unknown boundary 'edge' \(known: pair, node, layer, insert\)/);
  });

  it('reports crossings that order pair > node > layer > insert, identical graphs, and the cells a kernel cannot run', async () => {
    const report = await runMatrix([block], { progress: null, command: 'test' });
    const cell = (kernel: string, boundary: string) => report.cells.find((c) => c.spec.kernel === kernel && c.spec.boundary === boundary)!;
    for (const kernel of kernels) {
      const supported = (await loadKernel(kernel)).boundaries;
      const ok = (['pair', 'node', 'layer', 'insert'] as const).filter((b) => supported.includes(b));
      for (const b of ['pair', 'node', 'layer', 'insert'] as const) {
        const c = cell(kernel, b);
        if (!supported.includes(b)) {
          expect(c.status).toBe('unavailable');
          expect(c.reason).toMatch(new RegExp(`does not support boundary '${b}'`));
          continue;
        }
        expect(c.status, c.reason).toBe('ok');
        expect(c.boundary).toBe(b);
        expect(c.build!.cpuSeconds).toBeGreaterThan(0);
        expect(c.build!.cpuNanosecondsPerDistance).toBeGreaterThan(0);
        for (const p of c.search!) expect(p.kernelCallsPerQuery).toBeGreaterThan(0);
        // The axis profiles one build per single-thread cell: a share, with its sample count.
        expect(c.build!.jsShare?.method).toBe('cpu-profile');
        expect(c.build!.jsShare!.share).toBeGreaterThanOrEqual(0);
        expect(c.build!.jsShare!.share).toBeLessThanOrEqual(1);
        expect(c.build!.jsShare!.samples).toBeGreaterThan(0);
      }
      const calls = ok.map((b) => cell(kernel, b).build!.kernelCallsPerInsert!);
      for (let i = 1; i < calls.length; i++) expect(calls[i], `${kernel}: ${ok[i]} below ${ok[i - 1]}`).toBeLessThan(calls[i - 1]);
      if (supported.includes('insert')) {
        expect(cell(kernel, 'insert').build!.kernelCallsPerInsert).toBe(1);
        // a fused insert is timed by the kernel itself: the timer reading is there too
        expect(cell(kernel, 'insert').build!.jsShare!.byTimers).not.toBeNull();
      }
      // Every boundary builds the same graph: the same distances and the same answers.
      const first = cell(kernel, ok[0]);
      for (const b of ok.slice(1)) {
        expect(cell(kernel, b).build!.distanceEvalsPerInsert).toBe(first.build!.distanceEvalsPerInsert);
        expect(cell(kernel, b).search!.map((p) => p.recall)).toEqual(first.search!.map((p) => p.recall));
      }
    }
    const groups = boundaryGroups(report);
    expect(groups).toHaveLength(1);
    const table = boundaryTable(groups[0], report.peers);
    expect(table.rows).toHaveLength(kernels.length * 4);
    expect(table.head).toContain('crossings/insert');
    const md = summaryMarkdown(report);
    expect(md).toContain('### boundaries: clustered 600 × 16');
    expect(md).toContain('ns/dist (CPU)');
    expect(htmlReport(report)).toContain('data-chart="boundaries"');
  });
});

describe('kernelShare (the JS-side share from a CPU profile)', () => {
  const frame = (functionName: string, url = '') => ({ functionName, url });
  // (root) ─ Searcher.expand ─┬─ toRows           (probe: kernel)
  //                           └─ PairHeap.push    (JavaScript)
  //        ├─ NativeTraversal.insert in kernels-native (fused: kernel)   ├─ (idle)   └─ (garbage collector)
  const nodes = [
    { id: 1, callFrame: frame('(root)'), children: [2, 5, 6, 7] },
    { id: 2, callFrame: frame('expand', 'file:///x/packages/core/dist/searcher.js'), children: [3, 4] },
    { id: 3, callFrame: frame('toRows', 'file:///x/packages/kernels-js/dist/probe.js') },
    { id: 4, callFrame: frame('push', 'file:///x/packages/core/dist/heap.js') },
    { id: 5, callFrame: frame('insert', 'file:///x/packages/kernels-native/dist/native-traversal.js') },
    { id: 6, callFrame: frame('(idle)') },
    { id: 7, callFrame: frame('(garbage collector)') },
  ];

  it('counts samples with a kernel frame on the stack over the non-idle samples', () => {
    const r = kernelShare(nodes, [3, 3, 4, 5, 6, 6, 7, 2]);
    expect(r.samples).toBe(6);
    expect(r.share).toBeCloseTo(3 / 6);
  });

  it('reads a fused call outside a kernel package as JavaScript (an insert of the core is not the kernel)', () => {
    const core = nodes.map((n) => (n.id === 5 ? { ...n, callFrame: frame('insert', 'file:///x/packages/core/dist/inserter.js') } : n));
    expect(kernelShare(core, [5, 5, 3]).share).toBeCloseTo(1 / 3);
  });
});

export type { CellResult };
