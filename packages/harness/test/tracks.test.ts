import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  htmlReport,
  mergeReports,
  parseBenchArgs,
  runMatrix,
  runTrack,
  summaryMarkdown,
  TRACK_DEFAULTS,
  UsageError,
  type BatchTrackResult,
  type FilteredTrackResult,
  type StreamingTrackResult,
  type TrackSpec,
} from '../src/index.js';

beforeAll(() => {
  process.env.HNSWLAB_CACHE = mkdtempSync(join(tmpdir(), 'hnswlab-cache-'));
});

const small = { kernel: 'js', dataset: 'clustered', n: 1200, dim: 16, M: 8, efConstruction: 48, queries: 30 };
const spec = (track: TrackSpec['track'], extra: Partial<TrackSpec> = {}): TrackSpec => ({
  track,
  ...TRACK_DEFAULTS[track],
  ...small,
  ...extra,
});

describe('track arguments', () => {
  it('runs only the tracks with --track, set up by the grid flags', () => {
    const a = parseBenchArgs([
      '--track',
      'filtered,streaming',
      '--kernels',
      'js',
      '--sizes',
      '5k',
      '--selectivity',
      '2%,0.2',
      '--rounds',
      '12',
    ]);
    expect(a.blocks).toEqual([]);
    expect(a.tracks.map((t) => t.track)).toEqual(['filtered', 'streaming']);
    expect(a.tracks[0]).toMatchObject({ kernel: 'js', n: 5000, selectivities: [0.02, 0.2], rounds: 12, dataset: 'clustered' });
    expect(parseBenchArgs(['--track', 'batch', '--preset', 'quick']).blocks).toHaveLength(1);
    expect(parseBenchArgs(['--track', 'batch', '--datasets', 'glove']).tracks[0].metric).toBe('ip');
  });

  it('refuses unknown tracks and bad fractions', () => {
    expect(() => parseBenchArgs(['--track', 'latency'])).toThrow(UsageError);
    expect(() => parseBenchArgs(['--track', 'latency'])).toThrow(/unknown track 'latency' \(known: filtered, batch, streaming\)/);
    expect(() => parseBenchArgs(['--track', 'filtered', '--selectivity', '150%'])).toThrow(/not a fraction/);
    expect(() => parseBenchArgs(['--track', 'streaming', '--churn', '0.9'])).toThrow(/at most 0.5/);
  });
});

describe('tracks', () => {
  it('filtered: recall and QPS per filter against unfiltered, exact fallbacks counted', async () => {
    const t = (await runTrack(spec('filtered', { ef: [10, 40, 160], selectivities: [0.01, 0.1, 0.5] }))) as FilteredTrackResult;
    expect(t.status, t.reason).toBe('ok');
    expect(t.unfiltered!.map((p) => p.ef)).toEqual([10, 40, 160]);
    expect(t.filters!.map((f) => `${f.kind} ${f.selectivity}`)).toEqual([
      'random 0.01',
      'correlated 0.01',
      'random 0.1',
      'correlated 0.1',
      'random 0.5',
      'correlated 0.5',
    ]);
    for (const f of t.filters!) {
      expect(f.allowed).toBe(Math.round(f.selectivity * 1200));
      // clustered data records its clusters: the correlated filters take whole clusters
      if (f.kind === 'correlated') expect(f.how).toMatch(/of the 50 clusters/);
      for (const p of f.points) {
        expect(p.recall).toBeGreaterThanOrEqual(0);
        expect(p.recall).toBeLessThanOrEqual(1);
        expect(p.exactShare).toBeGreaterThanOrEqual(0);
        expect(p.exactShare).toBeLessThanOrEqual(1);
        expect(p.qps).toBeGreaterThan(0);
      }
    }
    // 12 allowed rows: the index scans them exactly, and exact answers have recall 1
    const tightest = t.filters![0];
    expect(tightest.points.every((p) => p.exactShare === 1 && p.recall === 1)).toBe(true);
    // at the widest beam the graph search finds the allowed neighbours
    expect(t.filters!.find((f) => f.kind === 'random' && f.selectivity === 0.5)!.points.at(-1)!.recall).toBeGreaterThan(0.9);
  });

  it('batch: searchBatch QPS per thread count beside the search() loop, same recall', async () => {
    const t = (await runTrack(spec('batch', { ef: [40], threads: [1, 2], peers: ['usearch'] }))) as BatchTrackResult;
    expect(t.status, t.reason).toBe('ok');
    const batch = t.series!.find((s) => s.name === 'searchBatch')!;
    expect(batch.points.map((p) => p.threads)).toEqual([1, 2]);
    expect(batch.points[0].speedup).toBe(1);
    const loop = t.series!.find((s) => s.name === 'search() loop')!;
    // the same index answers the same queries: one thread or two, batch or loop
    for (const p of batch.points) expect(p.recall).toBeCloseTo(loop.points[0].recall, 10);
    const usearch = t.series!.find((s) => s.library === 'usearch');
    if (usearch) expect(usearch.points.map((p) => p.threads)).toEqual([1, 2]);
    else expect(t.peerNotes!.join(' ')).toMatch(/usearch/);
  });

  it('streaming: rounds of delete and insert at a constant live count, checked, beside fresh builds', async () => {
    const t = (await runTrack(spec('streaming', { rounds: 10, churn: 0.1, freshEvery: 5, ef: [16, 64] }))) as StreamingTrackResult;
    expect(t.status, t.reason).toBe('ok');
    const rounds = t.rounds!;
    expect(rounds.map((r) => r.round)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const r of rounds) {
      expect(r.live).toBe(600);
      expect(r.checkOk).toBe(true);
      expect(r.bytesPerLiveVector).toBeGreaterThan(0);
      expect(r.recall.map((x) => x.ef)).toEqual([16, 64]);
      if (r.round > 0) {
        expect(r.deleted).toBe(60);
        expect(r.inserted).toBe(60);
        expect(r.updatesPerSecond).toBeGreaterThan(0);
      }
    }
    expect(rounds.filter((r) => r.fresh).map((r) => r.round)).toEqual([5, 10]);
    expect(rounds.at(-1)!.fresh!.recall[1].recall).toBeGreaterThan(0.9);
    // 10 rounds of 10%: the base is used up exactly, and compaction has reclaimed rows
    expect(rounds.at(-1)!.reclaimedBytes).toBeGreaterThan(0);
  });

  it('reports an unavailable kernel as unavailable, with the reason', async () => {
    const t = await runTrack(spec('filtered', { kernel: '@hnswlab/no-such-kernel' }));
    expect(t.status).toBe('unavailable');
    expect(t.reason).toMatch(/^unavailable: /);
  });

  it('puts each track in the JSON, the markdown and the HTML, with a chart', async () => {
    const tracks = [
      spec('filtered', { ef: [10, 40], selectivities: [0.1] }),
      spec('batch', { ef: [40], threads: [1, 2], peers: [] }),
      spec('streaming', { rounds: 2, churn: 0.1, ef: [32] }),
    ];
    const report = await runMatrix([], { progress: null, command: 'test', tracks });
    expect(report.cells).toEqual([]);
    expect(report.tracks!.map((t) => [t.kind, t.status])).toEqual([
      ['filtered', 'ok'],
      ['batch', 'ok'],
      ['streaming', 'ok'],
    ]);
    const md = summaryMarkdown(report);
    for (const kind of ['filtered', 'batch', 'streaming']) expect(md).toContain(`### track ${kind} · js/batched`);
    expect(md).toContain('after round 2:');
    const html = htmlReport(report);
    for (const chart of ['track-filtered', 'track-batch', 'track-streaming', 'track-streaming-bytes'])
      expect(html).toContain(`data-chart="${chart}"`);
    expect(html).not.toContain('At a glance'); // no cells: the page starts at the tracks
    const merged = mergeReports([report, { ...report, shard: { index: 2, count: 2 }, tracks: [] }], 'merge');
    expect(merged.tracks).toHaveLength(3);
  });
});
