import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { htmlReport, runMatrix, type MatrixBlock } from '../src/index.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const block: MatrixBlock = {
  name: 'main',
  kernels: ['js'],
  strategies: ['sequential', 'batched'],
  datasets: ['uniform'],
  sizes: [200, 400],
  dims: [8, 16],
  threads: [1],
  metric: 'l2',
  M: 8,
  efConstruction: 32,
  ef: [10, 20],
  k: 10,
  queries: 10,
  seed: 3,
  repeat: 1,
  peers: [],
};

describe('HTML report in a headless browser', () => {
  if (!existsSync(CHROMIUM)) {
    const reason = `skipped: ${CHROMIUM} is absent (apt-get install chromium, or set CHROMIUM_PATH)`;
    console.warn(`[harness] ${reason}`);
    it.skip(reason, () => {});
    return;
  }

  it('draws every chart: Chromium lays out marks in each figure', async () => {
    process.env.HNSWLAB_CACHE ??= mkdtempSync(join(tmpdir(), 'hnswlab-cache-'));
    const report = await runMatrix([block], { progress: null, command: 'test' });
    const dir = mkdtempSync(join(tmpdir(), 'hnswlab-html-'));
    const file = join(dir, 'bench.html');
    writeFileSync(file, htmlReport(report));
    const dom = execFileSync(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        `--user-data-dir=${join(dir, 'profile')}`,
        '--virtual-time-budget=5000',
        '--dump-dom',
        `file://${file}`,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 90_000 },
    );
    expect(dom).toContain('data-rendered="yes"');
    const drawn = new Map<string, number[]>();
    for (const m of dom.matchAll(/<figure data-chart="([\w-]+)" data-drawn="(\d+)"/g)) {
      if (!drawn.has(m[1])) drawn.set(m[1], []);
      drawn.get(m[1])!.push(Number(m[2]));
    }
    for (const chart of ['recall-qps', 'build-speed', 'phase-shares', 'memory', 'dims', 'dims-share', 'scale']) {
      expect(drawn.get(chart), `chart ${chart}`).toBeDefined();
      for (const marks of drawn.get(chart)!) expect(marks, `marks drawn in ${chart}`).toBeGreaterThan(0);
    }
    // recall–QPS: one chart per data set (2 sizes × 2 dims), each with a curve per cell
    expect(drawn.get('recall-qps')).toHaveLength(4);
  });
});
