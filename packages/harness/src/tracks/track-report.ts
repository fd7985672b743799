import { fmt, fmtPct, fmtRatio } from '../format.js';
import { curveFigure } from '../html-figure.js';
import { htmlTable } from '../html-table.js';
import { OKABE_ITO, PEER_COLOR } from '../palette.js';
import { paretoFrontier } from '../pareto.js';
import { domainOf, esc, type Series } from '../svg-charts.js';
import type { BatchTrackResult, FilteredTrackResult, StreamingTrackResult, TrackResult } from './track-result.js';

type Table = { head: string[]; rows: string[][] };

const pct = (s: number) => `${+(s * 100).toPrecision(3)}%`;
const joined = (xs: readonly (number | null | undefined)[], digits = 0) => xs.map((x) => fmt(x, digits)).join(' / ');

/** A track's heading: what ran and on what. */
export function trackTitle(t: TrackResult): string {
  const s = t.spec;
  const data = `${s.dataset} ${fmt(t.dataset?.n ?? s.n)} × ${t.dataset?.dim ?? s.dim}, ${s.metric}, M=${s.M}, efc=${s.efConstruction}`;
  const build = `${s.kernel}/${s.strategy}${t.boundary ? ` at ${t.boundary}` : ''}`;
  return `${t.kind} · ${build} · ${data}`;
}

/** The build a track searched, in words. */
function buildLine(t: TrackResult): string {
  return t.build
    ? `built in ${fmt(t.build.seconds, 1)} s (${fmt(t.build.vectorsPerSecond)} vectors/s on ${t.build.threads} thread${t.build.threads === 1 ? '' : 's'})`
    : '';
}

/** Filtered track: a row per filter (and the unfiltered baseline), figures at each ef of the sweep. */
export function filteredTable(t: FilteredTrackResult): Table {
  const efs = (t.unfiltered ?? []).map((p) => p.ef);
  const head = [
    'filter',
    'allowed',
    `recall@${t.spec.k} at ef ${efs.join(' / ')}`,
    'QPS (1 thread)',
    'exact fallback',
    'QPS@0.95',
    '× unfiltered@0.95',
    'how',
  ];
  const rows = [
    [
      'none',
      fmt(t.dataset?.n ?? t.spec.n),
      joined(t.unfiltered?.map((p) => p.recall) ?? [], 3),
      joined(t.unfiltered?.map((p) => p.qps) ?? []),
      '–',
      fmt(t.filters?.[0]?.unfilteredQpsAt95),
      '1.00×',
      '',
    ],
    ...(t.filters ?? []).map((f) => [
      `${f.kind} ${pct(f.selectivity)}`,
      fmt(f.allowed),
      joined(
        f.points.map((p) => p.recall),
        3,
      ),
      joined(f.points.map((p) => p.qps)),
      f.points.map((p) => fmtPct(p.exactShare)).join(' / '),
      fmt(f.qpsAt95),
      fmtRatio(f.ratioAt95),
      f.how,
    ]),
  ];
  return { head, rows };
}

/** Batch track: a row per series and ef, QPS at each thread count. */
export function batchTable(t: BatchTrackResult): Table {
  const threads = [...new Set((t.series ?? []).flatMap((s) => s.points.map((p) => p.threads)))].sort((a, b) => a - b);
  const head = [
    'series',
    'ef',
    ...threads.map((n) => `QPS, ${n} thread${n === 1 ? '' : 's'}`),
    'speed-up at most threads',
    `recall@${t.spec.k}`,
  ];
  const rows = (t.series ?? []).map((s) => {
    const at = (n: number) => s.points.find((p) => p.threads === n);
    const last = s.points[s.points.length - 1];
    return [
      s.library === 'hnswlab' ? s.name : `**${s.name}**`,
      String(s.ef),
      ...threads.map((n) => fmt(at(n)?.qps)),
      s.points.length > 1 ? `${fmt(last.speedup, 2)}× (${last.threads} threads)` : '–',
      fmt(Math.min(...s.points.map((p) => p.recall)), 3),
    ];
  });
  return { head, rows };
}

/** Streaming track: a row per round, beside the fresh builds of the same live set. */
export function streamingTable(t: StreamingTrackResult): Table {
  const efs = t.spec.ef;
  const head = [
    'round',
    'live',
    'tombstones',
    'updates/s',
    `recall@${t.spec.k} at ef ${efs.join(' / ')}`,
    'fresh build recall',
    'B per live vector',
    'fresh B per live vector',
    'fresh build vec/s',
    'check()',
  ];
  const rows = (t.rounds ?? []).map((r) => [
    String(r.round),
    fmt(r.live),
    fmt(r.tombstones),
    r.round === 0 ? '–' : fmt(r.updatesPerSecond),
    joined(
      r.recall.map((x) => x.recall),
      3,
    ),
    r.fresh
      ? joined(
          r.fresh.recall.map((x) => x.recall),
          3,
        )
      : '–',
    fmt(r.bytesPerLiveVector),
    fmt(r.fresh?.bytesPerLiveVector),
    fmt(r.fresh?.vectorsPerSecond),
    r.checkOk ? 'ok' : '**problems**',
  ]);
  return { head, rows };
}

/** After the last round: recall against the fresh build (difference), memory against it (ratio). */
export function streamingSummary(t: StreamingTrackResult): string {
  const last = t.rounds?.[t.rounds.length - 1];
  if (!last?.fresh) return '';
  const recall = last.recall
    .map(
      (x, i) =>
        `ef=${x.ef}: ${fmt(x.recall, 3)} vs ${fmt(last.fresh!.recall[i]?.recall, 3)} fresh (${fmt(x.recall - (last.fresh!.recall[i]?.recall ?? NaN), 3)})`,
    )
    .join('; ');
  const updates = (t.rounds ?? []).filter((r) => r.round > 0).map((r) => r.updatesPerSecond);
  const median = [...updates].sort((a, b) => a - b)[Math.floor(updates.length / 2)];
  return (
    `after round ${last.round}: recall ${recall}; bytes per live vector ${fmt(last.bytesPerLiveVector)} vs ${fmt(last.fresh.bytesPerLiveVector)} fresh ` +
    `(${fmtRatio(last.bytesPerLiveVector / last.fresh.bytesPerLiveVector)}); updates ${fmt(median)}/s (median of rounds) against a fresh build at ${fmt(last.fresh.vectorsPerSecond)} vectors/s`
  );
}

/** What each track's figures mean, printed under its table. */
export const TRACK_NOTES: Readonly<Record<TrackResult['kind'], string>> = {
  filtered:
    'Filtered: index.search(q, k, { ef, filter }) with a filter compiled once (createFilter); recall against the exact k nearest allowed ' +
    'vectors, by distance; QPS one thread, best of 3 passes; exact fallback: share of queries the index answered by scanning the allowed ' +
    'rows (SearchResult.exact). The same queries serve every filter, so most of them lie outside a correlated filter\u2019s region.',
  batch:
    'Batch: the whole query set per call; searchBatch on worker threads over the shared index (1 thread: the calling thread), after one ' +
    'untimed call that starts the workers; search() loop: one query per call on this thread; usearch: its multi-threaded search of the ' +
    'same set; hnswlib-node has none (its one-query loop). Best of 3 passes; speed-up against the same series at 1 thread.',
  streaming:
    'Streaming: the first half of the base built, then per round a seeded 10% of the live vectors deleted (remove) and as many new ' +
    'ones inserted (addBatch, compaction included when it triggers), then recall over the live set; fresh: the same live set built from ' +
    'scratch with the same parameters (ids ascending). B per live vector: index.stats().bytes ÷ live vectors.',
};

/** The markdown of every track: a section each, with its table and notes. */
export function tracksMarkdown(tracks: readonly TrackResult[]): string[] {
  const out: string[] = [];
  for (const t of tracks) {
    out.push('', `### track ${trackTitle(t)}`, '');
    if (t.status !== 'ok') {
      out.push(`${t.status}: ${t.reason ?? ''}`);
      continue;
    }
    const table = t.kind === 'filtered' ? filteredTable(t) : t.kind === 'batch' ? batchTable(t) : streamingTable(t);
    out.push(`${buildLine(t)}.`, '', markdownTable(table));
    if (t.kind === 'streaming') out.push('', streamingSummary(t));
    if (t.kind === 'batch') for (const n of t.peerNotes ?? []) out.push('', `> ${n}`);
    out.push('', TRACK_NOTES[t.kind]);
  }
  return out;
}

function markdownTable({ head, rows }: Table): string {
  const line = (cells: string[]) => `| ${cells.map((x) => x.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

/** The HTML of every track: heading, chart(s), table, notes. */
export function tracksHtml(tracks: readonly TrackResult[]): string {
  const parts: string[] = [];
  for (const t of tracks) {
    parts.push(`<h3>${esc(trackTitle(t))}</h3>`);
    if (t.status !== 'ok') {
      parts.push(`<p class="note">${esc(`${t.status}: ${t.reason ?? ''}`)}</p>`);
      continue;
    }
    parts.push(`<p class="meta">${esc(buildLine(t))}</p>`);
    if (t.kind === 'filtered')
      parts.push(`<div class="panels">${filteredFigures(t)}</div>`, htmlTable(filteredTable(t).head, filteredTable(t).rows));
    else if (t.kind === 'batch') {
      parts.push(`<div class="panels">${batchFigure(t)}</div>`, htmlTable(batchTable(t).head, batchTable(t).rows));
      for (const n of t.peerNotes ?? []) parts.push(`<p class="meta">${esc(n)}</p>`);
    } else {
      parts.push(`<div class="panels">${streamingFigures(t)}</div>`, htmlTable(streamingTable(t).head, streamingTable(t).rows));
      parts.push(`<p>${esc(streamingSummary(t))}</p>`);
    }
    parts.push(`<p class="meta">${esc(TRACK_NOTES[t.kind])}</p>`);
  }
  return parts.join('\n');
}

/** Recall–QPS of the filters beside the unfiltered search: a panel for random filters, one for correlated. */
function filteredFigures(t: FilteredTrackResult): string {
  const sweep = (points: ReadonlyArray<{ recall: number; qps: number }>) => {
    const { frontier, dominated } = paretoFrontier(points.map((p) => [p.recall, p.qps] as [number, number]));
    return { points: frontier, faint: dominated };
  };
  const base: Series = { name: 'no filter', color: '#000000', dashed: true, ...sweep(t.unfiltered ?? []) };
  const panel = (kind: 'random' | 'correlated') => {
    const series: Series[] = (t.filters ?? [])
      .filter((f) => f.kind === kind)
      .map((f, i) => ({ name: `${kind} ${pct(f.selectivity)}`, color: OKABE_ITO[i % OKABE_ITO.length], ...sweep(f.points) }));
    return [...series, base];
  };
  const all = [...panel('random'), ...panel('correlated')];
  const xDomain = domainOf(all, 0, 'logit');
  const yDomain = domainOf(all, 1, 'log');
  return (['random', 'correlated'] as const)
    .map((kind) =>
      curveFigure(
        'track-filtered',
        `${trackTitle(t)}: ${kind} filters against no filter, each line its Pareto frontier over ef`,
        panel(kind),
        {
          title: `${kind} filters: queries/s against recall@${t.spec.k}`,
          xLabel: `recall@${t.spec.k} (logit scale)`,
          yLabel: 'queries/s on 1 thread (log)',
          x: 'logit',
          y: 'log',
          xDomain,
          yDomain,
        },
      ),
    )
    .join('');
}

/** QPS against threads, a line per series and ef (peers grey). */
function batchFigure(t: BatchTrackResult): string {
  const series: Series[] = (t.series ?? []).map((s, i) => ({
    name: `${s.name} (ef=${s.ef})`,
    color: s.library === 'hnswlab' ? OKABE_ITO[i % OKABE_ITO.length] : PEER_COLOR,
    dashed: s.library !== 'hnswlab',
    points: s.points.map((p) => [p.threads, p.qps] as [number, number]),
  }));
  return curveFigure('track-batch', `${trackTitle(t)}: queries per second of the whole query set against threads`, series, {
    title: 'Batch search: queries/s against threads',
    xLabel: 'threads',
    yLabel: 'queries/s',
  });
}

/** Recall and bytes per live vector per round, against the fresh builds. */
function streamingFigures(t: StreamingTrackResult): string {
  const rounds = t.rounds ?? [];
  const recall: Series[] = t.spec.ef.flatMap((ef, i) => [
    {
      name: `recall at ef=${ef}`,
      color: OKABE_ITO[i % OKABE_ITO.length],
      points: rounds.map((r) => [r.round, r.recall[i].recall] as [number, number]),
    },
    {
      name: `fresh build, ef=${ef}`,
      color: OKABE_ITO[i % OKABE_ITO.length],
      dashed: true,
      points: rounds.filter((r) => r.fresh).map((r) => [r.round, r.fresh!.recall[i].recall] as [number, number]),
    },
  ]);
  const bytes: Series[] = [
    { name: 'streamed index', color: OKABE_ITO[0], points: rounds.map((r) => [r.round, r.bytesPerLiveVector] as [number, number]) },
    {
      name: 'fresh build',
      color: '#000000',
      dashed: true,
      points: rounds.filter((r) => r.fresh).map((r) => [r.round, r.fresh!.bytesPerLiveVector] as [number, number]),
    },
  ];
  return (
    curveFigure('track-streaming', `${trackTitle(t)}: recall@${t.spec.k} over the live set after each round`, recall, {
      title: 'Recall per round',
      xLabel: 'round',
      yLabel: `recall@${t.spec.k}`,
    }) +
    curveFigure('track-streaming-bytes', `${trackTitle(t)}: index bytes per live vector after each round`, bytes, {
      title: 'Bytes per live vector per round',
      xLabel: 'round',
      yLabel: 'bytes per live vector',
    })
  );
}
