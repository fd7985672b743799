import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { htmlReport, runMatrix, TRACK_DEFAULTS, type MatrixBlock } from '../src/index.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Screenshots are test artefacts: bench-out/ at the repository root (git-ignored), or $HNSWLAB_ARTEFACTS.
const ARTEFACTS = resolve(
  process.env.HNSWLAB_ARTEFACTS ??
    join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bench-out', 'test-artefacts', 'html-report'),
);

const main: MatrixBlock = {
  name: 'main',
  kernels: ['js', 'wasm'],
  strategies: ['sequential', 'batched'],
  datasets: ['uniform'],
  sizes: [400],
  dims: [16],
  threads: [2],
  metric: 'l2',
  M: 8,
  efConstruction: 32,
  ef: [10, 16, 24, 40],
  k: 10,
  queries: 20,
  seed: 3,
  repeat: 1,
  peers: ['hnswlib-node'],
};
const blocks: MatrixBlock[] = [
  main,
  { ...main, name: 'dims', strategies: ['batched'], dims: [8, 32], sizes: [300], peers: [] },
  { ...main, name: 'scale', kernels: ['js'], strategies: ['batched'], sizes: [200, 600], peers: [] },
];

function chromium(args: string[]): string {
  return execFileSync(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--hide-scrollbars', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    timeout: 90_000,
  });
}

describe('HTML report in a headless browser', () => {
  if (!existsSync(CHROMIUM)) {
    const reason = `skipped: ${CHROMIUM} is absent (apt-get install chromium, or set CHROMIUM_PATH)`;
    console.warn(`[harness] ${reason}`);
    it.skip(reason, () => {});
    return;
  }

  it('draws every chart, and renders at a phone and a desktop width (screenshots kept as artefacts)', async () => {
    process.env.HNSWLAB_CACHE ??= mkdtempSync(join(tmpdir(), 'hnswlab-cache-'));
    const report = await runMatrix(blocks, { progress: null, command: 'test', notes: ['a note the reader must see'] });
    const dir = mkdtempSync(join(tmpdir(), 'hnswlab-html-'));
    const file = join(dir, 'bench.html');
    const html = htmlReport(report);
    writeFileSync(file, html);
    const profile = (name: string) => `--user-data-dir=${join(dir, `profile-${name}`)}`;
    const dom = chromium([profile('dom'), '--virtual-time-budget=5000', '--dump-dom', `file://${file}`]);
    expect(dom).toContain('data-rendered="yes"');
    const drawn = new Map<string, number[]>();
    for (const m of dom.matchAll(/<figure data-chart="([\w-]+)" data-drawn="(\d+)"/g)) {
      if (!drawn.has(m[1])) drawn.set(m[1], []);
      drawn.get(m[1])!.push(Number(m[2]));
    }
    for (const chart of ['recall-qps', 'build-speed', 'phase-shares', 'memory', 'event-loop', 'dims', 'dims-share', 'scale']) {
      expect(drawn.get(chart), `chart ${chart}`).toBeDefined();
      for (const marks of drawn.get(chart)!) expect(marks, `marks drawn in ${chart}`).toBeGreaterThan(0);
    }
    // small multiples: the main data set has a panel per kernel (js, wasm); the curves' data sets
    // (one strategy each) one panel apiece: 2 dims and 2 scale sizes
    expect(drawn.get('recall-qps')).toHaveLength(2 + 2 + 2);
    // the page answers first: notes, then a headline per data set, before any chart
    expect(html.indexOf('a note the reader must see')).toBeLessThan(html.indexOf('class="headline'));
    expect(html.indexOf('class="headline main"')).toBeLessThan(html.indexOf('data-chart='));
    expect(html).toMatch(/best build <b>[\d,]+ vectors\/s<\/b> \((js|wasm)\/(sequential|batched), 1 thread\)/);
    expect(html).toContain('recall@10 (logit scale)');
    expect(html).toContain('queries/s on 1 thread (log)');
    // colour-blind-safe palette only (Okabe–Ito, greys for peers)
    const colours = new Set([...html.matchAll(/(?:fill|stroke)="(#[0-9A-Fa-f]{6})"/g)].map((m) => m[1].toUpperCase()));
    for (const c of colours)
      expect(['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#D55E00', '#56B4E9', '#000000', '#555555'], c).toContain(c);

    mkdirSync(ARTEFACTS, { recursive: true });
    writeFileSync(join(ARTEFACTS, 'bench.html'), html);
    for (const [name, width, height] of [
      ['phone', 390, 2400],
      ['desktop', 1280, 1600],
    ] as const) {
      const png = join(ARTEFACTS, `report-${name}-${width}px.png`);
      rmSync(png, { force: true });
      chromium([profile(name), '--virtual-time-budget=5000', `--window-size=${width},${height}`, `--screenshot=${png}`, `file://${file}`]);
      expect(statSync(png).size, `${name} screenshot`).toBeGreaterThan(10_000);
      // a PNG of the asked width
      expect(readFileSync(png).readUInt32BE(16)).toBe(width);
      console.log(`[harness] HTML report screenshot (${name}, ${width}px): ${png}`);
    }
  });

  it('draws the boundary chart and every track chart', async () => {
    process.env.HNSWLAB_CACHE ??= mkdtempSync(join(tmpdir(), 'hnswlab-cache-'));
    const axis: MatrixBlock = { ...main, kernels: ['js'], strategies: ['batched'], boundaries: ['pair', 'node'], peers: [] };
    const small = { kernel: 'js', dataset: 'clustered', n: 800, dim: 16, M: 8, efConstruction: 32, queries: 20 };
    const tracks = [
      { ...TRACK_DEFAULTS.filtered, ...small, track: 'filtered' as const, ef: [10, 40], selectivities: [0.1, 0.5] },
      { ...TRACK_DEFAULTS.batch, ...small, track: 'batch' as const, ef: [40], threads: [1, 2], peers: [] },
      { ...TRACK_DEFAULTS.streaming, ...small, track: 'streaming' as const, rounds: 3, ef: [16] },
    ];
    const report = await runMatrix([axis], { progress: null, command: 'test', tracks });
    const dir = mkdtempSync(join(tmpdir(), 'hnswlab-html-'));
    const file = join(dir, 'bench.html');
    writeFileSync(file, htmlReport(report));
    const dom = chromium([`--user-data-dir=${join(dir, 'profile')}`, '--virtual-time-budget=5000', '--dump-dom', `file://${file}`]);
    const drawn = new Map<string, number[]>();
    for (const m of dom.matchAll(/<figure data-chart="([\w-]+)" data-drawn="(\d+)"/g))
      drawn.set(m[1], [...(drawn.get(m[1]) ?? []), Number(m[2])]);
    for (const chart of ['boundaries', 'track-filtered', 'track-batch', 'track-streaming', 'track-streaming-bytes']) {
      expect(drawn.get(chart), `chart ${chart}`).toBeDefined();
      for (const marks of drawn.get(chart)!) expect(marks, `marks drawn in ${chart}`).toBeGreaterThan(0);
    }
  });
});
