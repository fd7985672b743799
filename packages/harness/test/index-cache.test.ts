import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  cachedNote,
  clearPreparedData,
  indexCacheKey,
  parseBenchArgs,
  persistenceTable,
  runCell,
  runMatrix,
  summaryMarkdown,
  type CellProgress,
  type IndexCacheKeyParts,
  type MatrixBlock,
} from '../src/index.js';

beforeAll(() => {
  process.env.HNSWLAB_CACHE = mkdtempSync(join(tmpdir(), 'hnswlab-cache-'));
});

const tiny = { dataset: 'clustered', n: 500, dim: 16, queries: 20, ef: [10, 40], efConstruction: 48, M: 8, seed: 11 };

function stagesOf(stages: CellProgress['stage'][]) {
  return (p: CellProgress) => stages.push(p.stage);
}

describe('the index cache', () => {
  it('skips the build on a hit and gives the same search figures as a fresh build', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hnswlab-index-cache-'));
    const firstStages: CellProgress['stage'][] = [];
    const first = await runCell({ kernel: 'js', strategy: 'batched', ...tiny }, { indexCache: dir, onProgress: stagesOf(firstStages) });
    expect(first.status, first.reason).toBe('ok');
    expect(first.indexCache?.hit).toBe(false);
    expect(first.build!.source).toBeUndefined();
    expect(first.persistence!.saveSource).toBe('measured');
    expect(firstStages).toContain('build');
    expect(readdirSync(dir).sort()).toEqual([`${first.indexCache!.key}.hnsw`, `${first.indexCache!.key}.json`]);

    const hitStages: CellProgress['stage'][] = [];
    const hit = await runCell(
      { kernel: 'js', strategy: 'batched', ...tiny, ef: [10, 20, 40] },
      { indexCache: dir, onProgress: stagesOf(hitStages) },
    );
    expect(hit.status, hit.reason).toBe('ok');
    expect(hit.indexCache).toMatchObject({ key: first.indexCache!.key, hit: true, builtAt: first.indexCache!.builtAt });
    expect(hitStages).not.toContain('build');
    expect(hitStages).not.toContain('save');
    expect(hit.build!.source).toBe('cache');
    // the recorded build figures, not new ones
    expect(hit.build!.secondsPerRepeat).toEqual(first.build!.secondsPerRepeat);
    expect(hit.memory).toEqual(first.memory);
    expect(hit.persistence!.saveSource).toBe('cache');
    expect(hit.persistence!.loadSeconds).toBeGreaterThan(0);

    const fresh = await runCell({ kernel: 'js', strategy: 'batched', ...tiny, ef: [10, 20, 40] });
    expect(fresh.indexCache).toBeUndefined();
    for (const r of [hit, fresh]) expect(r.search!.filter((p) => p.ef !== 20)).toHaveLength(2);
    const figures = (r: typeof hit) => r.search!.map((p) => [p.ef, p.recall, p.distanceEvalsPerQuery, p.kernelCallsPerQuery]);
    expect(figures(hit)).toEqual(figures(fresh));
    expect(figures(first)).toEqual(figures(fresh).filter(([ef]) => ef !== 20));
  });

  it('builds again when the cell asks for more timed builds, or event-loop figures, than the record holds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hnswlab-index-cache-'));
    await runCell({ kernel: 'js', strategy: 'batched', ...tiny }, { indexCache: dir });
    const more = await runCell({ kernel: 'js', strategy: 'batched', ...tiny, repeat: 2 }, { indexCache: dir });
    expect(more.indexCache?.hit).toBe(false);
    expect(more.build!.secondsPerRepeat).toHaveLength(2);
    const again = await runCell({ kernel: 'js', strategy: 'batched', ...tiny, repeat: 2 }, { indexCache: dir });
    expect(again.indexCache?.hit).toBe(true);
    // a record without the build's event-loop figures (a flame search profile writes those) is not a bench cell's
    const quiet = mkdtempSync(join(tmpdir(), 'hnswlab-index-cache-'));
    const profiled = await runCell({ kernel: 'js', strategy: 'batched', ...tiny }, { indexCache: quiet, eventLoop: false });
    expect(profiled.eventLoop).toBeUndefined();
    expect((await runCell({ kernel: 'js', strategy: 'batched', ...tiny }, { indexCache: quiet, eventLoop: false })).indexCache?.hit).toBe(
      true,
    );
    const measured = await runCell({ kernel: 'js', strategy: 'batched', ...tiny }, { indexCache: quiet });
    expect(measured.indexCache?.hit).toBe(false);
    expect(measured.eventLoop?.build).toBeDefined();
  });

  it('keys by everything that decides the graph and by the code that built it', () => {
    const parts: IndexCacheKeyParts = {
      baseHash: 'abc',
      metric: 'l2',
      kernel: 'js',
      kernelName: 'js',
      strategy: 'batched',
      boundary: 'node',
      M: 16,
      efConstruction: 200,
      seed: 42,
      threads: 2,
      code: 'v1',
    };
    const key = indexCacheKey(parts);
    expect(key).toMatch(/^[0-9a-f]{24}$/);
    for (const [field, value] of Object.entries({ baseHash: 'abd', boundary: 'pair', M: 8, seed: 1, code: 'v2', strategy: 'sequential' }))
      expect(indexCacheKey({ ...parts, [field]: value }), field).not.toBe(key);
  });

  it('drops a damaged cached file with a warning and builds the cell instead', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hnswlab-index-cache-'));
    const first = await runCell({ kernel: 'js', strategy: 'batched', ...tiny }, { indexCache: dir });
    const file = join(dir, `${first.indexCache!.key}.hnsw`);
    const bytes = readFileSync(file);
    bytes[bytes.length >> 1] ^= 0x40;
    writeFileSync(file, bytes);
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const r = await runCell({ kernel: 'js', strategy: 'batched', ...tiny }, { indexCache: dir });
      await new Promise((resolve) => setImmediate(resolve));
      expect(r.status, r.reason).toBe('ok');
      expect(r.indexCache?.hit).toBe(false);
      expect(r.search!.map((p) => p.recall)).toEqual(first.search!.map((p) => p.recall));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.join('\n')).toMatch(/did not load/);
    expect(existsSync(file)).toBe(true); // rebuilt and saved again
  });

  it('is on in bench unless --no-index-cache, and the report says which figures came from it', async () => {
    expect(parseBenchArgs(['--preset', 'quick']).indexCache).toBe(true);
    expect(parseBenchArgs(['--preset', 'quick', '--no-index-cache']).indexCache).toBe(false);
    const block: MatrixBlock = {
      name: 'main',
      kernels: ['js'],
      strategies: ['batched'],
      datasets: ['clustered'],
      sizes: [400],
      dims: [8],
      threads: [2],
      metric: 'l2',
      M: 8,
      efConstruction: 32,
      ef: [10, 20],
      k: 10,
      queries: 10,
      seed: 9,
      repeat: 1,
      peers: [],
    };
    const dir = mkdtempSync(join(tmpdir(), 'hnswlab-index-cache-'));
    const a = await runMatrix([block], { progress: null, command: 'test', indexCache: dir });
    clearPreparedData();
    const b = await runMatrix([block], { progress: null, command: 'test', indexCache: dir });
    expect(cachedNote(a)).toBeNull();
    expect(cachedNote(b)).toMatch(/^† 1 of 1 cells searched an index from the index cache/);
    expect(summaryMarkdown(b)).toContain('js/batched †');
    const files = persistenceTable(b);
    expect(files.rows).toHaveLength(1);
    expect(files.rows[0][6]).toMatch(/ †$/); // the save time is the recorded one
  });
});
