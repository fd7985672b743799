import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { attributeProfiles, SourceIndex, wasmFunctionNames, type AttributionMethod, type CpuProfile } from '@hnswlab/flame';

const method: AttributionMethod = { inlining: 'disabled', nodeFlags: ['--no-turbo-inlining'], intervalUs: 1000, description: 'test' };
const phaseFunctions = {
  'Searcher.greedy': 'navigation',
  'Searcher.searchLayer': 'neighborSearch',
  'Searcher.gatherUnvisited': 'neighborSearch',
  'Inserter.selectNeighbors': 'connectionManagement',
  'IndexState.beginBatch': 'storage',
} as const;

/** A call tree given as [id, parent, name, url?]; samples as [node id, µs since the previous sample]. */
function profile(tree: [number, number, string, string?][], samples: [number, number][]): CpuProfile {
  const nodes = tree.map(([id, , functionName, url]) => ({
    id,
    callFrame: { functionName, scriptId: 0, url: url ?? '', lineNumber: -1, columnNumber: -1 },
    children: tree.filter(([, p]) => p === id).map(([c]) => c),
  }));
  return {
    nodes,
    startTime: 0,
    endTime: samples.reduce((s, [, d]) => s + d, 0),
    samples: samples.map(([n]) => n),
    timeDeltas: samples.map(([, d]) => d),
  };
}

// (root) ─ loop ─ Inserter.insert ─┬─ Searcher.greedy ─ Searcher.gatherUnvisited
//                                  ├─ Searcher.searchLayer ─┬─ toRows ─ wasm-function[0]
//                                  │                        └─ PairHeap.push
//                                  ├─ Inserter.selectNeighbors ─ toRows
//                                  └─ now
//       ├─ HnswIndex.beginBatch      ├─ (garbage collector)      ├─ (idle)      └─ setup (before the window)
const tree: [number, number, string, string?][] = [
  [1, 0, '(root)'],
  [2, 1, 'loop'],
  [3, 2, 'Inserter.insert'],
  [4, 3, 'Searcher.greedy'],
  [5, 4, 'Searcher.gatherUnvisited'],
  [6, 3, 'Searcher.searchLayer'],
  [7, 6, 'toRows'],
  [8, 7, 'wasm-function[0]', 'wasm://wasm/abcd1234'],
  [9, 6, 'PairHeap.push'],
  [10, 3, 'Inserter.selectNeighbors'],
  [11, 10, 'toRows'],
  [12, 3, 'now'],
  [13, 2, 'IndexState.beginBatch'],
  [14, 1, '(garbage collector)'],
  [15, 1, '(idle)'],
  [16, 1, 'setup'],
];
// 1 ms per sample; 'setup' before the first on-path sample and after the last is outside the window.
const samples: [number, number][] = [
  [16, 1000],
  [13, 1000],
  [5, 1000],
  [8, 1000],
  [8, 1000],
  [9, 1000],
  [14, 1000],
  [11, 1000],
  [10, 1000],
  [12, 1000],
  [15, 1000],
  [6, 1000],
  [16, 1000],
];

describe('attributeProfiles on a synthetic profile', () => {
  const a = attributeProfiles([{ file: 'main', profile: profile(tree, samples) }], { phase: 'build', method, units: 2, phaseFunctions });

  it('cuts the window from the first to the last sample on the insert path', () => {
    expect(a.profiles[0].samples).toBe(11);
    expect(a.idleMs).toBeCloseTo(1);
    expect(a.activeMs).toBeCloseTo(10);
  });

  it('puts each sample in the bucket of its frames', () => {
    expect(a.buckets.storage.ms).toBeCloseTo(1);
    // gatherUnvisited is listed as neighbor search, but under greedy the outer phase wins.
    expect(a.buckets.navigation.ms).toBeCloseTo(1);
    expect(a.buckets.neighborSearch.ms).toBeCloseTo(2); // push, searchLayer self
    expect(a.buckets.kernel.ms).toBeCloseTo(3); // the wasm frames under toRows, toRows under selectNeighbors
    expect(a.buckets.connectionManagement.ms).toBeCloseTo(1);
    expect(a.buckets.gc.ms).toBeCloseTo(1);
    expect(a.buckets.harness.ms).toBeCloseTo(1); // now, under insert but in no phase
    expect(a.buckets.kernel.share).toBeCloseTo(0.3);
    expect(a.buckets.kernel.msPer1k).toBeCloseTo(1500);
  });

  it('folds kernel time into the calling phase and charges GC and bookkeeping to the phase in progress in the timer view', () => {
    const { ms, carriedMs, shares } = a.timerView;
    expect(ms.storage).toBeCloseTo(1);
    expect(ms.navigation).toBeCloseTo(1);
    expect(ms.neighborSearch).toBeCloseTo(5); // 2 wasm + push + GC after them + searchLayer
    expect(ms.connectionManagement).toBeCloseTo(3); // toRows + selectNeighbors + now after them
    expect(carriedMs).toBeCloseTo(2);
    expect(shares.neighborSearch).toBeCloseTo(0.5);
  });

  it('sums self and inclusive time per function', () => {
    const f = (name: string) => a.functions.find((x) => x.name === name)!;
    expect(f('wasm-function[0]').selfMs).toBeCloseTo(2);
    expect(f('Searcher.searchLayer').selfMs).toBeCloseTo(1);
    expect(f('Searcher.searchLayer').totalMs).toBeCloseTo(4);
    expect(f('Inserter.insert').totalMs).toBeCloseTo(8);
    expect(f('toRows').totalMs).toBeCloseTo(3);
    expect(a.functions[0].name).toBe('wasm-function[0]');
  });

  it('names wasm functions from the module when given its names', () => {
    const named = attributeProfiles([{ file: 'main', profile: profile(tree, samples) }], {
      phase: 'build',
      method,
      units: 2,
      phaseFunctions,
      wasmNames: new Map([[0, 'l2Rows']]),
    });
    expect(named.functions[0].name).toBe('wasm:l2Rows');
    expect(named.buckets.kernel.ms).toBeCloseTo(3);
  });

  it('reads function names from the export section of a module without a name section', () => {
    // (module (func) (export "l2Rows" (func 0)))
    const bytes = Uint8Array.from([
      0,
      0x61,
      0x73,
      0x6d,
      1,
      0,
      0,
      0,
      1,
      4,
      1,
      0x60,
      0,
      0,
      3,
      2,
      1,
      0,
      7,
      10,
      1,
      6,
      ...Buffer.from('l2Rows'),
      0,
      0,
      10,
      4,
      1,
      2,
      0,
      0x0b,
    ]);
    expect((globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly.validate(bytes)).toBe(true);
    expect(wasmFunctionNames(bytes)).toEqual(new Map([[0, 'l2Rows']]));
  });
});

// A fused insert: the wasm module's own frames (named by its name section) under the exported entry point.
// (root) ─ Inserter.insert ─ WasmTraversal.insert ─ js-to-wasm ─ l2Insert ─ insert<L2> ─┬─ descend<L2> ─ greedy<L2>
//                                                                                      ├─ searchLayer<L2> ─ expand<L2>
//                                                                                      └─ backLink<L2> ─ selectNeighbors<L2>
const fusedTree: [number, number, string, string?][] = [
  [1, 0, '(root)'],
  [2, 1, 'Inserter.insert'],
  [3, 2, 'WasmTraversal.insert'],
  [4, 3, 'js-to-wasm:ii:v', 'wasm://wasm/abcd1234'],
  [5, 4, 'assembly/l2-traversal/l2Insert', 'wasm://wasm/abcd1234'],
  [6, 5, 'assembly/insert/insert<assembly/metric/L2>', 'wasm://wasm/abcd1234'],
  [7, 6, 'assembly/search/descend<assembly/metric/L2>', 'wasm://wasm/abcd1234'],
  [8, 7, 'assembly/search/greedy<assembly/metric/L2>', 'wasm://wasm/abcd1234'],
  [9, 6, 'assembly/search/searchLayer<assembly/metric/L2>', 'wasm://wasm/abcd1234'],
  [10, 9, 'assembly/search/expand<assembly/metric/L2>', 'wasm://wasm/abcd1234'],
  [11, 6, 'assembly/insert/backLink<assembly/metric/L2>', 'wasm://wasm/abcd1234'],
  [12, 11, 'assembly/insert/selectNeighbors<assembly/metric/L2>', 'wasm://wasm/abcd1234'],
];

describe('attributeProfiles on a fused wasm insert', () => {
  const fusedSamples: [number, number][] = [
    [8, 1000],
    [10, 1000],
    [10, 1000],
    [10, 1000],
    [6, 1000],
    [12, 1000],
  ];
  const a = attributeProfiles([{ file: 'main', profile: profile(fusedTree, fusedSamples) }], {
    phase: 'build',
    method,
    units: 1,
    phaseFunctions,
  });

  it('names the frames wasm:… and keeps all of them in the kernel bucket', () => {
    expect(a.buckets.kernel.ms).toBeCloseTo(6);
    const wasm = a.functions.filter((f) => f.file.startsWith('wasm://') && !f.name.startsWith('js-to-wasm'));
    expect(wasm.length).toBe(8);
    for (const f of wasm) expect(f.name).toMatch(/^wasm:assembly\//);
  });

  it('gives the timer view the phase of each fused function; insert<…> itself goes to the phase in progress', () => {
    const { ms } = a.timerView;
    expect(ms.navigation).toBeCloseTo(1);
    expect(ms.neighborSearch).toBeCloseTo(4); // 3 expand, then insert's own sample after them
    expect(ms.connectionManagement).toBeCloseTo(1);
  });
});

// A fused native insert: the addon's C++ has no frames; its time is self time of the wrapper in the kernel package.
// (root) ─ batched.link ─┬─ Inserter.insert ─ NativeTraversal.insert
//                        └─ IndexState.beginBatch                        ├─ (garbage collector)
describe('attributeProfiles on a fused native insert', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'flame-native-')), 'packages', 'kernels-native', 'dist');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'native-traversal.js');
  writeFileSync(file, ['export class NativeTraversal {', '  insert(row) {', '    return row;', '  }', '}', ''].join('\n'));
  const url = pathToFileURL(file).href;
  const nativeTree = profile(
    [
      [1, 0, '(root)'],
      [2, 1, 'batched.link'],
      [3, 2, 'Inserter.insert'],
      [4, 3, 'insert', url],
      [5, 2, 'IndexState.beginBatch'],
      [6, 1, '(garbage collector)'],
    ],
    [
      [5, 1000],
      [4, 1000],
      [4, 1000],
      [6, 1000],
      [4, 1000],
      [4, 1000],
    ],
  );
  // V8 reports the method at its parameter list: line 1, column 8.
  for (const n of nativeTree.nodes) if (n.callFrame.url === url) Object.assign(n.callFrame, { lineNumber: 1, columnNumber: 8 });
  const shares = { navigation: 0.1, neighborSearch: 0.6, connectionManagement: 0.3 };
  const attribute = (fusedInsertShares?: typeof shares) =>
    attributeProfiles([{ file: 'main', profile: nativeTree }], { phase: 'build', method, units: 4, phaseFunctions, fusedInsertShares });

  it('keeps the wrapper in the kernel bucket and splits its time by the kernel timers in the timer view', () => {
    const a = attribute(shares);
    expect(a.functions.find((f) => f.name === 'NativeTraversal.insert')?.selfByBucket).toEqual({ kernel: 4 });
    expect(a.buckets.kernel.ms).toBeCloseTo(4);
    const { ms } = a.timerView;
    expect(ms.navigation).toBeCloseTo(0.4);
    expect(ms.neighborSearch).toBeCloseTo(2.4);
    expect(ms.connectionManagement).toBeCloseTo(1.2);
    expect(ms.storage).toBeCloseTo(1);
    expect(a.timerView.fusedInsertMs).toBeCloseTo(4);
    // GC between two fused calls is in no phase of the kernel's timers: left out, not charged to storage.
    expect(a.timerView.unattributedMs).toBeCloseTo(1);
  });

  it('without the kernel timers, charges the wrapper to the phase in progress (the old reading)', () => {
    const a = attribute();
    expect(a.timerView.ms.storage).toBeCloseTo(6);
    expect(a.timerView.fusedInsertMs ?? 0).toBe(0);
  });
});

describe('SourceIndex', () => {
  it('turns bare V8 frame names into Class.method from the script itself', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flame-src-'));
    const file = join(dir, 'code.js');
    writeFileSync(
      file,
      [
        'export class Searcher {',
        '  greedy(a) {',
        '    return a;',
        '  }',
        '}',
        'export const batched = {',
        '  insert(x) { return x; },',
        '};',
        'function plain() {}',
        '',
      ].join('\n'),
    );
    const sources = new SourceIndex();
    const url = pathToFileURL(file).href;
    // V8 reports a method's position at its parameter list: line 1 (0-based), column 8.
    expect(sources.lookup(url, 1, 8)?.qualifiedName).toBe('Searcher.greedy');
    expect(sources.lookup(url, 6, 8)?.qualifiedName).toBe('batched.insert');
    expect(sources.lookup(url, 8, 14)?.qualifiedName).toBe('plain');
    expect(sources.lookup('node:internal/x', 0, 0)).toBeUndefined();
  });
});
