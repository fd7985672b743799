import { seriesKey } from './analyze.js';
import { STORE_NOTE, storeChart, storeGroups, storeTable } from './store-table.js';
import { BOUNDARY_NOTE, boundaryGroups, boundaryTable, type BoundaryGroup } from './boundary-table.js';
import type { BenchReport } from './bench-report.js';
import { PHASES, type CellResult } from './cell-result.js';
import { matchingPeer, ratio, threadsUsed } from './figures.js';
import { fmt, fmtMB, fmtRatio } from './format.js';
import { datasetLabel } from './dataset-ids.js';
import { cellTitle, dataGroups, dataTitle, headlineLine, headlines } from './headline.js';
import { peerKey } from './matrix.js';
import { htmlTable } from './html-table.js';
import { kernelStyle, strategyStyle } from './palette.js';
import { recallPanels, sweepTable, threadWords } from './recall-panels.js';
import { missingLines, reportBlocks, summaryTable } from './summary-markdown.js';
import { cachedNote, EVENT_LOOP_NOTE, eventLoopTable, PERSISTENCE_NOTE, persistenceTable } from './serving-tables.js';
import { tracksHtml } from './tracks/track-report.js';
import { curveFigure, figure } from './html-figure.js';
import { barChart, esc, stackedBars, type Bar } from './svg-charts.js';

/** Markdown bold to HTML, everything else escaped. */
function prose(md: string): string {
  return esc(md).replace(/\*\*(.+?)\*\*/g, '<b>$1</b>');
}

/** A section that is open (the first block: what the page is for) or folded (the curves' own data sets). */
function fold(open: boolean, summary: string, body: string): string {
  return open ? body : `<details><summary>${esc(summary)}</summary>${body}</details>`;
}

// After layout, count the marks each chart drew (non-empty boxes); folded sections are opened for the
// count and closed again. The headless test reads data-drawn.
const COUNT_SCRIPT = `var folded = Array.prototype.filter.call(document.querySelectorAll('details'), function (d) { return !d.open; });
folded.forEach(function (d) { d.open = true; });
document.querySelectorAll('figure[data-chart]').forEach(function (f) {
  var n = 0; f.querySelectorAll('path.series, rect.bar, rect.segment, .mark').forEach(function (e) { var b = e.getBBox(); if (b.width > 0 || b.height > 0) n++; });
  f.setAttribute('data-drawn', String(n));
});
folded.forEach(function (d) { d.open = false; });
document.body.setAttribute('data-rendered', 'yes');`;

const STYLE = `*{box-sizing:border-box}body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;padding:16px;color:#1a1a1a;max-width:1400px}
h1{font-size:22px;margin:4px 0}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}h3{font-size:15px;margin:20px 0 6px}
.meta{color:#555;font-size:13px;overflow-wrap:anywhere}code{background:#f3f3f3;padding:1px 4px}
.note{background:#fff4e0;border-left:4px solid #E69F00;padding:8px 12px;margin:10px 0}
.headline{border-left:4px solid #0072B2;background:#f2f7fb;padding:10px 14px;margin:10px 0}.headline.main{font-size:16px}
.panels{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:12px}.cols{display:grid;grid-template-columns:repeat(auto-fill,minmax(420px,1fr));gap:16px;align-items:start}
figure{margin:0;min-width:0}figcaption{color:#555;font-size:12px}svg.chart{width:100%;height:auto;display:block}
svg .title{font-weight:600;font-size:13px}svg .tick,svg .legend{font-size:11px;fill:#333}svg .inbar{font-size:10px;fill:#fff}
svg .grid{stroke:#eee}svg .axis{stroke:#333}svg .axis-label{font-size:12px;fill:#333}
ul.legend{list-style:none;padding:0;margin:6px 0;display:flex;flex-wrap:wrap;gap:4px 16px;font-size:13px}ul.legend li{display:flex;align-items:center;gap:6px}
.scroll{overflow-x:auto;max-width:100%}table{border-collapse:collapse;font-size:12px;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 6px;text-align:right;white-space:nowrap}
td:first-child,th:first-child,td:nth-child(2){text-align:left}th{background:#f4f4f4}
details{margin:8px 0}summary{cursor:pointer;color:#0072B2}.flag{color:#D55E00;font-weight:600}
@media (max-width:600px){body{padding:10px;font-size:14px}.panels,.cols{grid-template-columns:1fr}.headline.main{font-size:15px}}`;

/** Build speed of one data set: a bar per build (colour: strategy, or kernel where the strategy is one), peers grey, hnswlib-node as a reference line. */
function buildFigure(report: BenchReport, cells: readonly CellResult[], peers: readonly CellResult[]): string {
  const hnswlib = matchingPeer(cells[0], report.peers, 'hnswlib-node');
  const byStrategy = cells.some((x) => x.spec.strategy !== cells[0].spec.strategy);
  const bars: Bar[] = cells.map((c) => {
    const r = ratio(c.build!.vectorsPerSecond, matchingPeer(c, report.peers, 'hnswlib-node')?.build?.vectorsPerSecond);
    return {
      label: buildName(c),
      value: c.build!.vectorsPerSecond,
      text: `${fmt(c.build!.vectorsPerSecond)} vec/s${r !== null ? ` (${fmtRatio(r)})` : ''}`,
      color: byStrategy ? strategyStyle(c.spec.strategy).color : kernelStyle(c.spec.kernel).color,
    };
  });
  for (const p of peers)
    bars.push({ label: buildName(p), value: p.build!.vectorsPerSecond, text: `${fmt(p.build!.vectorsPerSecond)} vec/s`, reference: true });
  const title = dataTitle(cells[0]);
  const svg = barChart(bars, {
    title: `Build vectors/s · ${datasetLabel(cells[0].spec.dataset)} ${fmt(cells[0].dataset?.n ?? cells[0].spec.n)}×${cells[0].dataset?.dim ?? cells[0].spec.dim}`,
    unit: 'vec/s',
    reference: hnswlib?.build ? { value: hnswlib.build.vectorsPerSecond, label: `${cellTitle(hnswlib)}, 1 thread` } : undefined,
  });
  return figure(
    'build-speed',
    `${title}: vectors inserted per second into an empty index (higher is better), with each build's thread count; (×): ratio to hnswlib-node on the same data and machine; grey: peers`,
    svg,
  );
}

/**
 * The seam chart of one data set: the all-in CPU cost of a distance against crossings per insert, a
 * line per kernel × strategy through its boundaries (pair on the right, insert on the left), log–log.
 */
function boundaryFigure(g: BoundaryGroup): string {
  const ok = g.cells.filter((c) => c.status === 'ok' && c.build?.kernelCallsPerInsert && c.build.cpuNanosecondsPerDistance);
  const series = [...new Set(ok.map((c) => `${c.spec.kernel}/${c.spec.strategy}`))].map((name) => {
    const cells = ok.filter((c) => `${c.spec.kernel}/${c.spec.strategy}` === name);
    return {
      name: `${name} · ${threadWords(threadsUsed(cells[0]))}`,
      color: kernelStyle(cells[0].spec.kernel).color,
      marker: strategyStyle(cells[0].spec.strategy).marker,
      points: cells.map((c) => [c.build!.kernelCallsPerInsert!, c.build!.cpuNanosecondsPerDistance!] as [number, number]),
    };
  });
  return curveFigure(
    'boundaries',
    `${g.title}: CPU ns per distance evaluation against kernel crossings per insert, one point per boundary (pair, node, layer, insert from right to left); lower is cheaper`,
    series,
    {
      title: 'Cost per distance against crossings per insert',
      xLabel: 'crossings per insert (log)',
      yLabel: 'CPU ns per distance (log)',
      x: 'log',
      y: 'log',
    },
  );
}

/** A build's name with its thread count, for chart labels. */
function buildName(c: CellResult): string {
  return `${cellTitle(c)} · ${threadWords(threadsUsed(c))}`;
}

/**
 * A self-contained HTML report (inline SVG and CSS, no network) that answers at a glance: a headline
 * per data set; recall–QPS as small multiples (a panel per kernel, strategies as colours, peers
 * dashed, Pareto frontiers with dominated settings faint, logit recall axis); build speed against
 * hnswlib-node; phase shares; memory; the dimension and scale curves; then the tables. Colours are
 * Okabe–Ito with a marker shape per series; every label carries its unit and thread count. The
 * report JSON is embedded for tools.
 */
export function htmlReport(report: BenchReport): string {
  const body: string[] = [];
  body.push(`<h1>hnswlab bench${report.preset ? ` · preset ${esc(report.preset)}` : ''}</h1>`);
  const m = report.machine;
  body.push(
    `<p class="meta">${esc(m.cpuModel)} × ${m.cpus} · ${fmt(m.totalMemoryBytes / 2 ** 30)} GiB · Node ${esc(report.node.version)} · ` +
      `commit <code>${esc(report.gitCommit ?? 'unknown')}</code> · ${esc(report.createdAt)} · ${fmt(report.wallSeconds)} s<br>` +
      `<code>${esc(report.command)}</code></p>`,
  );
  for (const n of report.notes ?? []) body.push(`<p class="note">${esc(n)}</p>`);
  const cached = cachedNote(report);
  if (cached) body.push(`<p class="note">${esc(cached)}</p>`);

  const blockNames = reportBlocks(report).map((b) => b.name);
  const isFirst = (c: CellResult) => (report.blocks[c.id] ?? 'main') === blockNames[0];
  const groups = dataGroups(report);
  const peersOf = (cells: readonly CellResult[]) =>
    report.peers.filter((p) => p.status === 'ok' && peerKey(p.spec) === peerKey(cells[0].spec));

  // A run of tracks alone has no cells: its page starts at the tracks.
  const matrix = report.cells.length + report.peers.length > 0;
  if (matrix) body.push('<h2 id="headlines">At a glance</h2>');
  const heads = headlines(report);
  for (const h of heads.filter((x) => x.block === blockNames[0])) body.push(`<p class="headline main">${prose(headlineLine(h))}</p>`);
  const rest = heads.filter((x) => x.block !== blockNames[0]);
  if (rest.length)
    body.push(
      fold(
        false,
        `headlines of the curves' data sets (${[...new Set(rest.map((h) => h.block))].join(', ')})`,
        rest.map((h) => `<p class="headline">${prose(headlineLine(h))}</p>`).join(''),
      ),
    );
  if (report.shards && report.shards.length > 1)
    body.push(
      htmlTable(
        ['shard', 'machine', 'CPU', 'memory', 'cells measured', 'wall'],
        report.shards.map((sh) => [
          `${sh.index}/${sh.count}`,
          sh.machine?.label ?? '?',
          sh.machine ? `${sh.machine.cpuModel} × ${sh.machine.cpus}` : '?',
          sh.machine ? `${fmt(sh.machine.totalMemoryBytes / 2 ** 30)} GiB` : '?',
          String(report.cells.filter((c) => c.machine === sh.machine?.label).length),
          sh.wallSeconds !== undefined ? `${fmt(sh.wallSeconds)} s` : '?',
        ]),
      ),
    );

  if (matrix) body.push('<h2 id="recall-qps">Search: queries per second against recall</h2>');
  if (matrix)
    body.push(
      '<p>Up and to the right is better. Each line is one build’s Pareto frontier over its ef sweep (faint marks: dominated ef ' +
        'settings); search runs on 1 thread, and the legend says how many threads built each graph. Dashed: the peers, on the same ' +
        'data and machine.</p>',
    );
  for (const cells of groups) {
    const peers = peersOf(cells);
    const { legend, panels } = recallPanels(cells, peers);
    const title = dataTitle(cells[0]);
    const figures = panels.map((p) => figure('recall-qps', `${title}: ${p.title}`, p.svg)).join('');
    const table = `<details><summary>every sweep point (table)</summary>${sweepTable([...cells, ...peers])}</details>`;
    const section = `<h3>${esc(title)}</h3>${legend}<div class="panels">${figures}</div>${table}`;
    body.push(fold(isFirst(cells[0]), `${title} (${report.blocks[cells[0].id] ?? 'main'} block)`, section));
  }

  if (matrix) body.push('<h2 id="build">Build: speed, where the time goes, memory</h2>');
  const phased = report.cells.filter((c) => c.status === 'ok' && c.build?.phaseShares);
  const withMem = [...report.cells, ...report.peers].filter((c) => c.status === 'ok' && c.memory);
  for (const name of blockNames) {
    const figs: string[] = [];
    const inBlock = (c: CellResult) => (report.blocks[c.id] ?? 'main') === name;
    for (const cells of groups.filter((g) => inBlock(g[0]))) figs.push(buildFigure(report, cells, peersOf(cells)));
    const rows = phased.filter(inBlock).map((c) => ({
      label: `${buildName(c)} · ${fmt(c.dataset?.n ?? c.spec.n)}×${c.dataset?.dim ?? c.spec.dim}`,
      shares: c.build!.phaseShares as Record<string, number>,
    }));
    if (rows.length)
      figs.push(
        figure(
          'phase-shares',
          'Share of instrumented insert time per phase, in % of the time summed over the build’s threads (core phase timers)',
          stackedBars(rows, PHASES, { title: `Phase shares of insert time · ${name}` }),
        ),
      );
    const keys = new Set(report.cells.filter(inBlock).map((c) => peerKey(c.spec)));
    const mem = withMem
      .filter((c) => keys.has(peerKey(c.spec)) && (c.library !== 'hnswlab' || inBlock(c)))
      .map((c) => {
        const b = c.memory!.bytesPerVector;
        const t = b.total || 1;
        return {
          label: `${buildName(c)}: ${fmt(b.total)} B/vec, ${fmtMB(c.memory!.indexBytes.total)} MB`,
          shares: { vectors: b.vectors / t, graph: b.graph / t, other: b.other / t },
        };
      });
    if (mem.length)
      figs.push(
        figure(
          'memory',
          'Index bytes per vector split into vectors, graph and other, with the index’s total MB (peers: serialised size, ' +
            'vectors = raw floats). The process’s peak RSS during each build is in the tables.',
          stackedBars(mem, ['vectors', 'graph', 'other'], { title: `Index bytes per vector, by part · ${name}` }),
        ),
      );
    if (figs.length)
      body.push(fold(name === blockNames[0], `${name} block`, `<h3>${esc(name)} block</h3><div class="cols">${figs.join('')}</div>`));
  }

  const bgroups = boundaryGroups(report);
  if (bgroups.length) {
    body.push('<h2 id="boundaries">Boundaries: where the core calls the kernel</h2>');
    for (const g of bgroups) {
      const t = boundaryTable(g, report.peers);
      body.push(`<h3>${esc(g.title)}</h3><div class="cols">${boundaryFigure(g)}</div>${htmlTable(t.head, t.rows)}`);
    }
    body.push(`<p class="meta">${esc(BOUNDARY_NOTE)}</p>`);
  }

  const sgroups = storeGroups(report);
  if (sgroups.length) {
    body.push('<h2 id="stores">Precision: quantised stores</h2>');
    for (const g of sgroups) {
      const t = storeTable(g);
      const chart = storeChart(g);
      body.push(`<h3>${esc(g.title)}</h3>${chart ? `<div class="cols">${chart}</div>` : ''}${htmlTable(t.head, t.rows)}`);
    }
    body.push(`<p class="meta">${esc(STORE_NOTE)}</p>`);
  }

  const loop = eventLoopTable(report);
  if (loop.rows.length) {
    body.push('<h2 id="event-loop">Event loop: does the index keep a server responsive?</h2>');
    const first = [...report.cells, ...report.peers].filter(
      (c) =>
        c.status === 'ok' &&
        c.eventLoop?.build &&
        (c.library !== 'hnswlab' || isFirst(c)) &&
        (c.library === 'hnswlab' || report.cells.some((x) => isFirst(x) && peerKey(x.spec) === peerKey(c.spec))),
    );
    if (first.length)
      body.push(
        figure(
          'event-loop',
          'p99 event-loop delay while each index was built (log scale; a synchronous build is one stall as long as the build); grey: peers',
          barChart(
            first.map((c) => ({
              label: buildName(c),
              value: c.eventLoop!.build!.p99Ms,
              text: `${fmt(c.eventLoop!.build!.p99Ms, c.eventLoop!.build!.p99Ms >= 10 ? 0 : 2)} ms`,
              reference: c.library !== 'hnswlab',
              color: c.library === 'hnswlab' ? strategyStyle(c.spec.strategy).color : undefined,
            })),
            { title: `p99 event-loop delay during the build · ${blockNames[0]} block`, unit: 'ms', log: true },
          ),
        ),
      );
    body.push(htmlTable(loop.head, loop.rows), `<p class="meta">${esc(EVENT_LOOP_NOTE)}</p>`);
  }

  const files = persistenceTable(report);
  if (files.rows.length) {
    body.push('<h2 id="persistence">Saving and loading</h2>');
    body.push(htmlTable(files.head, files.rows), `<p class="meta">${esc(PERSISTENCE_NOTE)}</p>`);
  }

  const curveName = (series: string, library: string, without: 'n' | 'dim') => {
    const c = [...report.cells, ...report.peers].find(
      (x) => x.library === library && x.status === 'ok' && seriesKey(x, without) === series,
    );
    return c ? buildName(c) : series;
  };
  const curveStyle = (series: string, library: string) =>
    library === 'hnswlab' ? kernelStyle(series.split('/')[0]) : { dashed: true, color: library === 'hnswlib-node' ? '#000000' : undefined };
  if (report.analysis.dims.length) {
    body.push('<h2 id="dims">Dimension curve</h2>');
    const dims = report.analysis.dims;
    const data = (d: (typeof dims)[number]) => d.series.split(' ').slice(1, 3).join(' ');
    const shares = dims.filter((d) => d.points.some((p) => p.neighborSearchShare !== null));
    body.push(
      '<div class="panels">' +
        curveFigure(
          'dims',
          `Build vectors/s against dimension (log–log), ${[...new Set(dims.map(data))].join('; ')}`,
          dims.map((d) => ({
            name: curveName(d.series, d.library, 'dim'),
            ...curveStyle(d.series, d.library),
            points: d.points.map((p) => [p.dim, p.vectorsPerSecond] as [number, number]),
          })),
          { title: 'Build vectors/s against dimension', xLabel: 'dimension', yLabel: 'vectors/s (log)', x: 'log', y: 'log' },
        ) +
        (shares.length
          ? curveFigure(
              'dims-share',
              'Neighbour-search share of insert time against dimension: the distance kernel’s part of the work',
              shares.map((d) => ({
                name: curveName(d.series, d.library, 'dim'),
                ...curveStyle(d.series, d.library),
                points: d.points
                  .filter((p) => p.neighborSearchShare !== null)
                  .map((p) => [p.dim, p.neighborSearchShare! * 100] as [number, number]),
              })),
              { title: 'Neighbour-search share against dimension', xLabel: 'dimension', yLabel: '% of insert time', x: 'log' },
            )
          : '') +
        '</div>',
    );
  }

  if (report.analysis.scale.length) {
    body.push('<h2 id="scale">Scale curve</h2>');
    const sc = report.analysis.scale;
    body.push(
      '<div class="panels">' +
        curveFigure(
          'scale',
          'Microseconds per insert against n (log x): flat or ∝ log n is healthy; a straight rise on this axis is a super-linear term',
          sc.map((s) => ({
            name: `${curveName(s.series, s.library, 'n')} (time ∝ n^${s.timeExponent.toFixed(2)})`,
            ...curveStyle(s.series, s.library),
            points: s.points.map((p) => [p.n, p.microsecondsPerInsert] as [number, number]),
          })),
          { title: 'Per-insert cost against n', xLabel: 'n (vectors in the index)', yLabel: 'µs per insert (wall)', x: 'log' },
        ) +
        '</div>',
    );
    const flagged = sc.filter((s) => s.superlinear);
    const withdrawn = sc.filter((s) => !s.superlinear && s.reason?.startsWith('not flagged'));
    body.push(
      flagged.length
        ? `<p class="flag">Super-linear growth: ${flagged.map((s) => `${esc(s.series)}: ${esc(s.reason ?? '')}`).join('; ')}</p>`
        : '<p>No series of ours grows faster than n log n allows, or than hnswlib-node on the same data.</p>',
    );
    for (const s of withdrawn) body.push(`<p class="meta">${esc(s.series)}: ${esc(s.reason ?? '')}</p>`);
  }

  if (report.tracks?.length) {
    body.push('<h2 id="tracks">Serving tracks: filtered search, batch search, streaming updates</h2>');
    body.push(tracksHtml(report.tracks));
  }

  if (matrix) body.push('<h2 id="tables">Tables</h2>');
  if (matrix)
    body.push(
      '<p class="meta">t: threads the build ran on (sequential and batched run on 1); QPS on 1 thread, best of 3 passes; × hnswlib: ' +
        'ratio to hnswlib-node on the same data and machine; index MB: the index’s own bytes; peak RSS: the process’s resident peak ' +
        'during the build, (+) its rise above where the build started.</p>',
    );
  for (const { name, rows } of reportBlocks(report)) {
    const t = summaryTable(report, rows);
    body.push(`<h3>${esc(name)}</h3>`, htmlTable(t.head, t.rows));
  }
  const missing = missingLines(report);
  if (missing.length) body.push(`<h3>Missing</h3><ul>${missing.map((m) => `<li>${esc(m)}</li>`).join('')}</ul>`);

  const json = JSON.stringify(report).replace(/</g, '\\u003c');
  const head = `<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>hnswlab bench</title>`;
  const scripts = `<script type="application/json" id="report">${json}</script><script>${COUNT_SCRIPT}</script>`;
  return `<!doctype html><html lang="en"><head>${head}<style>${STYLE}</style></head><body>${body.join('\n')}${scripts}</body></html>\n`;
}
