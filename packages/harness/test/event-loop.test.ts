import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventLoopTable, LOOP_RESOLUTION_MS, measureLoopDelay, runMatrix, type LoopDelay, type MatrixBlock } from '../src/index.js';

beforeAll(() => {
  process.env.HNSWLAB_CACHE = mkdtempSync(join(tmpdir(), 'hnswlab-cache-'));
});

const busy = (ms: number) => {
  const t = performance.now();
  while (performance.now() - t < ms);
};

function sane(d: LoopDelay | undefined, what: string): void {
  expect(d, what).toBeDefined();
  for (const v of [d!.p50Ms, d!.p99Ms, d!.maxMs, d!.seconds]) {
    expect(Number.isFinite(v), what).toBe(true);
    expect(v, what).toBeGreaterThanOrEqual(0);
  }
  expect(d!.p50Ms, what).toBeLessThanOrEqual(d!.p99Ms);
  expect(d!.p99Ms, what).toBeLessThanOrEqual(d!.maxMs);
  expect(d!.ticks, what).toBeGreaterThanOrEqual(1);
}

describe('measureLoopDelay', () => {
  it('sees a call that holds the thread as one stall as long as the call', async () => {
    const { value, delay } = await measureLoopDelay(() => {
      busy(60);
      return 7;
    });
    expect(value).toBe(7);
    sane(delay, 'busy');
    expect(delay.maxMs).toBeGreaterThanOrEqual(50);
    expect(delay.seconds).toBeGreaterThanOrEqual(0.059);
  });

  it('sees a loop that stays free as small delays', async () => {
    const { delay } = await measureLoopDelay(() => new Promise((resolve) => setTimeout(resolve, 40)));
    sane(delay, 'idle');
    expect(delay.ticks).toBeGreaterThan(3);
    // a loaded machine can delay a timer; a blocked loop would read ≥ 40 ms
    expect(delay.p50Ms).toBeLessThan(20);
  });
});

describe('event-loop figures of cells and peers', () => {
  it('are present and non-negative for every build strategy, search(), searchBatch() and the peers', async () => {
    const block: MatrixBlock = {
      name: 'main',
      kernels: ['js'],
      strategies: ['sequential', 'batched', 'parallel', 'segmented', 'rounds'],
      datasets: ['uniform'],
      sizes: [600],
      dims: [16],
      threads: [2],
      metric: 'l2',
      M: 8,
      efConstruction: 32,
      ef: [10, 20, 40],
      k: 10,
      queries: 20,
      seed: 4,
      repeat: 1,
      peers: ['hnswlib-node', 'usearch'],
    };
    const report = await runMatrix([block], { progress: null, command: 'test' });
    for (const c of [...report.cells, ...report.peers]) {
      if (c.status !== 'ok') {
        // a strategy or peer that is not installed says so; nothing else may fail
        expect(c.status, c.reason).toBe('unavailable');
        continue;
      }
      const e = c.eventLoop!;
      expect(e.resolutionMs).toBe(LOOP_RESOLUTION_MS);
      sane(e.build, `${c.id} build`);
      sane(e.search, `${c.id} search`);
      expect(e.search!.ef).toBe(20);
      if (c.library !== 'hnswlib-node') {
        sane(e.searchBatch, `${c.id} searchBatch`);
        expect(e.searchBatch!.qps).toBeGreaterThan(0);
        expect(e.searchBatch!.threads).toBe(c.spec.threads);
      } else expect(e.searchBatch).toBeUndefined();
      expect(c.persistence!.fileBytes).toBeGreaterThan(0);
      expect(c.persistence!.loadSeconds).toBeGreaterThanOrEqual(0);
    }
    expect(report.cells.filter((c) => c.status === 'ok').length).toBeGreaterThanOrEqual(2);
    const table = eventLoopTable(report);
    expect(table.rows.length).toBe([...report.cells, ...report.peers].filter((c) => c.status === 'ok').length);
  });
});
