import type { BenchReport } from './bench-report.js';
import { PHASES, type CellResult } from './cell-result.js';
import { fmt } from './format.js';
import { dataKey } from './matrix.js';
import { missingLines, reportBlocks, SUMMARY_HEAD, summaryRow } from './summary-markdown.js';
import { barChart, esc, lineChart, stackedBars, type Series } from './svg-charts.js';

function cellName(c: CellResult): string {
  return c.library === 'hnswlab'
    ? `${c.spec.kernel}/${c.spec.strategy} t=${c.spec.threads}`
    : `${c.kernelName ?? c.library} t=${c.spec.threads}`;
}

function dataName(c: CellResult): string {
  return `${c.spec.dataset} n=${fmt(c.dataset?.n ?? c.spec.n)} d=${c.dataset?.dim ?? c.spec.dim} ${c.spec.metric} M=${c.spec.M} efc=${c.spec.efConstruction}`;
}

function figure(kind: string, caption: string, svg: string): string {
  return `<figure data-chart="${kind}">${svg}<figcaption>${esc(caption)}</figcaption></figure>`;
}

function htmlTable(head: readonly string[], rows: readonly string[][]): string {
  const cell = (s: string) => esc(s).replace(/\*\*(.+?)\*\*/g, '<b>$1</b>');
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${cell(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

// After layout, count the marks each chart actually drew (non-empty boxes): the headless test reads these.
const COUNT_SCRIPT = `document.querySelectorAll('figure[data-chart]').forEach(function (f) {
  var n = 0; f.querySelectorAll('path.series, rect.bar, rect.segment, circle').forEach(function (e) { var b = e.getBBox(); if (b.width > 0 || b.height > 0) n++; });
  f.setAttribute('data-drawn', String(n));
});
document.body.setAttribute('data-rendered', 'yes');`;

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#222;max-width:1500px}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:12px;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 6px;text-align:right}td:first-child,th:first-child,td:nth-child(2){text-align:left}
th{background:#f4f4f4}figure{margin:12px 12px 12px 0;display:inline-block;vertical-align:top;max-width:680px}figcaption{color:#666;font-size:12px}
svg .title{font-weight:600;font-size:13px}svg .tick,svg .legend{font-size:11px;fill:#333}svg .inbar{font-size:10px;fill:#fff}
svg .grid{stroke:#eee}svg .axis{stroke:#333}svg .axis-label{font-size:12px;fill:#333}.meta{color:#555}code{background:#f4f4f4;padding:1px 4px}
.flag{color:#b00;font-weight:600}`;

/**
 * A self-contained HTML report (inline SVG, inline CSS, no network): summary tables, recall–QPS curves
 * per data set, build vectors/s by kernel × strategy with the peers, phase-share stacked bars, memory,
 * the dimension-scaling and the scale curves. The report JSON is embedded for tools.
 */
export function htmlReport(report: BenchReport): string {
  const body: string[] = [];
  body.push(`<h1>hnswlab bench${report.preset ? ` — preset ${esc(report.preset)}` : ''}</h1>`);
  body.push(
    `<p class="meta">${esc(report.machine.cpuModel)} × ${report.machine.cpus} · ${fmt(report.machine.totalMemoryBytes / 2 ** 30)} GiB · Node ${esc(report.node.version)} · commit <code>${esc(report.gitCommit ?? 'unknown')}</code> · ${esc(report.createdAt)} · ${fmt(report.wallSeconds)} s<br><code>${esc(report.command)}</code></p>`,
  );

  body.push('<h2>Summary</h2>');
  for (const { name, rows } of reportBlocks(report)) {
    body.push(`<h3>${esc(name)}</h3>`);
    body.push(
      htmlTable(
        SUMMARY_HEAD,
        rows.map((c) => summaryRow(c, report.peers)),
      ),
    );
  }

  const missing = missingLines(report);
  if (missing.length) body.push(`<h3>Missing</h3><ul>${missing.map((m) => `<li>${esc(m)}</li>`).join('')}</ul>`);

  const all = [...report.cells, ...report.peers].filter((c) => c.status === 'ok');
  const groups = new Map<string, CellResult[]>();
  for (const c of all) {
    const k = dataKey(c.spec) + `|${c.spec.M}|${c.spec.efConstruction}`;
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(c);
  }

  body.push('<h2 id="recall-qps">Recall–QPS (the ann-benchmarks view: up and to the right is better)</h2>');
  for (const cells of groups.values()) {
    const series: Series[] = cells.map((c) => ({
      name: cellName(c),
      dashed: c.library !== 'hnswlab',
      points: (c.search ?? []).map((p) => [p.recall, p.qps] as [number, number]),
    }));
    body.push(
      figure(
        'recall-qps',
        `${dataName(cells[0])}: recall@${cells[0].spec.k} (by distance) against single-thread QPS over the ef sweep; dashed: peers`,
        lineChart(series, {
          title: `Recall–QPS · ${dataName(cells[0])}`,
          xLabel: `recall@${cells[0].spec.k}`,
          yLabel: 'queries / s',
          logY: true,
          xMax: 1,
        }),
      ),
    );
  }

  body.push('<h2 id="build-speed">Build speed by kernel × strategy</h2>');
  for (const cells of groups.values()) {
    const bars = cells.map((c) => ({ label: cellName(c), value: c.build!.vectorsPerSecond, reference: c.library !== 'hnswlab' }));
    body.push(
      figure(
        'build-speed',
        `${dataName(cells[0])}: vectors inserted per second (grey: peers, same data and parameters, same run)`,
        barChart(bars, { title: `Build vectors/s · ${dataName(cells[0])}`, unit: 'vectors/s' }),
      ),
    );
  }

  const phased = report.cells.filter((c) => c.status === 'ok' && c.build?.phaseShares);
  if (phased.length) {
    body.push('<h2 id="phases">Where insert time goes</h2>');
    const rows = phased.map((c) => ({
      label: `${cellName(c)} · ${c.spec.dataset} ${c.dataset?.n ?? c.spec.n}×${c.dataset?.dim ?? c.spec.dim}`,
      shares: c.build!.phaseShares as Record<string, number>,
    }));
    body.push(
      figure(
        'phase-shares',
        'Share of instrumented insert time per phase (core phase timers, summed over threads). Neighbour search is the headline bottleneck.',
        stackedBars(rows, PHASES, { title: 'Phase shares of insert time' }),
      ),
    );
  }

  const withMem = all.filter((c) => c.memory);
  if (withMem.length) {
    body.push('<h2 id="memory">Memory</h2>');
    const rows = withMem.map((c) => {
      const b = c.memory!.bytesPerVector;
      const t = b.total || 1;
      return {
        label: `${cellName(c)} · ${c.spec.dataset} ${c.memory!.vectors}×${c.dataset?.dim ?? c.spec.dim} (${fmt(b.total)} B/vec, ${c.memory!.indexToRawRatio.toFixed(2)}× raw)`,
        shares: { vectors: b.vectors / t, graph: b.graph / t, other: b.other / t },
      };
    });
    body.push(
      figure(
        'memory',
        'Index bytes per vector split into vectors, graph and other (peers: serialised size, vectors = raw floats). RSS growth is in the tables.',
        stackedBars(rows, ['vectors', 'graph', 'other'], { title: 'Bytes per vector', width: 900 }),
      ),
    );
  }

  if (report.analysis.dims.length) {
    body.push('<h2 id="dims">Dimension scaling</h2>');
    const dims = report.analysis.dims;
    body.push(
      figure(
        'dims',
        'Build vectors/s against dimension, per kernel × strategy (log–log)',
        lineChart(
          dims.map((d) => ({
            name: d.series,
            dashed: d.library !== 'hnswlab',
            points: d.points.map((p) => [p.dim, p.vectorsPerSecond] as [number, number]),
          })),
          { title: 'Build vectors/s vs dimension', xLabel: 'dimension', yLabel: 'vectors / s', logX: true, logY: true },
        ),
      ),
    );
    const shares = dims.filter((d) => d.points.some((p) => p.neighborSearchShare !== null));
    if (shares.length)
      body.push(
        figure(
          'dims-share',
          'Neighbour-search share of insert time against dimension',
          lineChart(
            shares.map((d) => ({
              name: d.series,
              points: d.points
                .filter((p) => p.neighborSearchShare !== null)
                .map((p) => [p.dim, p.neighborSearchShare! * 100] as [number, number]),
            })),
            { title: 'Neighbour-search share vs dimension', xLabel: 'dimension', yLabel: '% of insert time', logX: true },
          ),
        ),
      );
  }

  if (report.analysis.scale.length) {
    body.push('<h2 id="scale">Scale curve</h2>');
    const sc = report.analysis.scale;
    body.push(
      figure(
        'scale',
        'Microseconds per insert against n (log x): flat or ∝ log n is healthy; a straight rise on this axis is a super-linear term',
        lineChart(
          sc.map((s) => ({
            name: `${s.series} (n^${s.timeExponent.toFixed(2)})`,
            dashed: s.library !== 'hnswlab',
            points: s.points.map((p) => [p.n, p.microsecondsPerInsert] as [number, number]),
          })),
          { title: 'Per-insert cost vs n', xLabel: 'n (vectors)', yLabel: 'µs / insert', logX: true },
        ),
      ),
    );
    const flagged = sc.filter((s) => s.superlinear);
    body.push(
      flagged.length
        ? `<p class="flag">Super-linear growth: ${flagged.map((s) => `${esc(s.series)}: ${esc(s.reason ?? '')}`).join('; ')}</p>`
        : '<p>No series grows faster than n log n allows.</p>',
    );
  }

  const json = JSON.stringify(report).replace(/</g, '\\u003c');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>hnswlab bench</title><style>${STYLE}</style></head><body>${body.join('\n')}<script type="application/json" id="report">${json}</script><script>${COUNT_SCRIPT}</script></body></html>\n`;
}
