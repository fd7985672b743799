// Small static SVG charts for the HTML report: no script, no network, readable with JavaScript off.

export interface Series {
  name: string;
  points: Array<[number, number]>;
  /** Dashed line (peers). */
  dashed?: boolean;
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  logX?: boolean;
  logY?: boolean;
  /** Fixed upper end of the x axis (recall: 1). */
  xMax?: number;
  width?: number;
  height?: number;
}

const PALETTE = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#bcbd22',
  '#7f7f7f',
  '#393b79',
  '#637939',
  '#8c6d31',
  '#843c39',
  '#7b4173',
];

export function color(i: number): string {
  return PALETTE[i % PALETTE.length];
}

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function niceTicks(lo: number, hi: number, log: boolean): number[] {
  if (log) {
    const out: number[] = [];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
      for (const m of [1, 2, 5]) {
        const v = m * 10 ** e;
        if (v >= lo * 0.999 && v <= hi * 1.001) out.push(v);
      }
    }
    return out.length >= 2 ? out : [lo, hi];
  }
  const span = hi - lo || 1;
  const step = 10 ** Math.floor(Math.log10(span / 5));
  const mult = [1, 2, 5, 10].find((m) => span / (m * step) <= 6) ?? 10;
  const s = mult * step;
  const out: number[] = [];
  for (let v = Math.ceil(lo / s) * s; v <= hi + s * 1e-9; v += s) out.push(+v.toPrecision(12));
  return out;
}

function label(v: number, step?: number): string {
  if (Math.abs(v) >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (Math.abs(v) >= 1e3) return `${+(v / 1e3).toPrecision(3)}k`;
  // on a narrow linear axis (recall 0.995–1) three significant digits would print the same tick twice
  if (step !== undefined && step > 0 && step < 1) return v.toFixed(Math.min(6, Math.ceil(-Math.log10(step))));
  return `${+v.toPrecision(3)}`;
}

function tickStep(ticks: readonly number[]): number | undefined {
  return ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : undefined;
}

/** A line chart with markers, axes, ticks and a legend; one <path> per series. */
export function lineChart(series: readonly Series[], o: LineChartOptions): string {
  const W = o.width ?? 660,
    H = o.height ?? 360,
    L = 64,
    R = 200,
    T = 30,
    B = 50;
  const pts = series
    .flatMap((s) => s.points)
    .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!o.logX || x > 0) && (!o.logY || y > 0));
  if (pts.length === 0)
    return `<svg class="chart empty" width="${W}" height="60" role="img"><text x="10" y="30">${esc(o.title)}: no data</text></svg>`;
  let [x0, x1] = [Math.min(...pts.map((p) => p[0])), Math.max(...pts.map((p) => p[0]))];
  let [y0, y1] = [Math.min(...pts.map((p) => p[1])), Math.max(...pts.map((p) => p[1]))];
  if (o.xMax !== undefined) {
    x1 = Math.max(x1, o.xMax);
    if (x0 >= x1) x0 = x1 - 0.01;
  }
  if (x0 === x1) [x0, x1] = o.logX ? [x0 / 2, x1 * 2] : [x0 - 1, x1 + 1];
  if (y0 === y1) [y0, y1] = o.logY ? [y0 / 2, y1 * 2] : [y0 - 1, y1 + 1];
  if (!o.logY && y0 > 0 && y0 < y1 - y0) y0 = 0;
  const tx = (x: number) =>
    L + ((o.logX ? Math.log(x) - Math.log(x0) : x - x0) / (o.logX ? Math.log(x1) - Math.log(x0) : x1 - x0)) * (W - L - R);
  const ty = (y: number) =>
    H - B - ((o.logY ? Math.log(y) - Math.log(y0) : y - y0) / (o.logY ? Math.log(y1) - Math.log(y0) : y1 - y0)) * (H - T - B);
  const parts: string[] = [];
  parts.push(`<svg class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(o.title)}">`);
  parts.push(`<text x="${L}" y="18" class="title">${esc(o.title)}</text>`);
  const xt = niceTicks(x0, x1, !!o.logX),
    yt = niceTicks(y0, y1, !!o.logY);
  const xs = o.logX ? undefined : tickStep(xt),
    ys = o.logY ? undefined : tickStep(yt);
  for (const v of xt)
    parts.push(
      `<line class="grid" x1="${tx(v)}" x2="${tx(v)}" y1="${T}" y2="${H - B}"/><text class="tick" x="${tx(v)}" y="${H - B + 16}" text-anchor="middle">${label(v, xs)}</text>`,
    );
  for (const v of yt)
    parts.push(
      `<line class="grid" x1="${L}" x2="${W - R}" y1="${ty(v)}" y2="${ty(v)}"/><text class="tick" x="${L - 6}" y="${ty(v) + 4}" text-anchor="end">${label(v, ys)}</text>`,
    );
  parts.push(
    `<line class="axis" x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}"/><line class="axis" x1="${L}" x2="${L}" y1="${T}" y2="${H - B}"/>`,
  );
  parts.push(`<text class="axis-label" x="${(L + W - R) / 2}" y="${H - 10}" text-anchor="middle">${esc(o.xLabel)}</text>`);
  parts.push(
    `<text class="axis-label" transform="translate(16 ${(T + H - B) / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>`,
  );
  series.forEach((s, i) => {
    const ok = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!o.logX || x > 0) && (!o.logY || y > 0));
    if (!ok.length) return;
    const d = ok.map(([x, y], j) => `${j ? 'L' : 'M'}${tx(x).toFixed(1)},${ty(y).toFixed(1)}`).join(' ');
    parts.push(
      `<path class="series" d="${d}" fill="none" stroke="${color(i)}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}><title>${esc(s.name)}</title></path>`,
    );
    for (const [x, y] of ok)
      parts.push(
        `<circle cx="${tx(x).toFixed(1)}" cy="${ty(y).toFixed(1)}" r="3" fill="${color(i)}"><title>${esc(s.name)}: ${label(x)}, ${label(y)}</title></circle>`,
      );
    const ly = T + 14 * i;
    parts.push(
      `<line x1="${W - R + 12}" x2="${W - R + 32}" y1="${ly}" y2="${ly}" stroke="${color(i)}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/><text class="legend" x="${W - R + 36}" y="${ly + 4}">${esc(s.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}

export interface Bar {
  label: string;
  value: number;
  /** Reference bars (peers) are hatched grey. */
  reference?: boolean;
}

/** Horizontal bars, one <rect> per bar, value printed at the end. */
export function barChart(bars: readonly Bar[], o: { title: string; unit: string; width?: number }): string {
  const W = o.width ?? 660,
    rowH = 22,
    L = 230,
    R = 90,
    T = 30;
  const H = T + rowH * bars.length + 10;
  const max = Math.max(1e-12, ...bars.map((b) => b.value).filter(Number.isFinite));
  const parts = [
    `<svg class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(o.title)}">`,
    `<text x="10" y="18" class="title">${esc(o.title)}</text>`,
  ];
  bars.forEach((b, i) => {
    const y = T + i * rowH;
    const w = Number.isFinite(b.value) ? (b.value / max) * (W - L - R) : 0;
    parts.push(`<text class="tick" x="${L - 6}" y="${y + 15}" text-anchor="end">${esc(b.label)}</text>`);
    parts.push(
      `<rect class="bar" x="${L}" y="${y + 3}" width="${Math.max(1, w).toFixed(1)}" height="${rowH - 6}" fill="${b.reference ? '#999' : color(0)}"><title>${esc(b.label)}: ${label(b.value)} ${esc(o.unit)}</title></rect>`,
    );
    parts.push(`<text class="tick" x="${L + w + 4}" y="${y + 15}">${label(b.value)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

/** Stacked horizontal bars of shares (each row sums to 1), one <rect> per segment, with a legend. */
export function stackedBars(
  rows: ReadonlyArray<{ label: string; shares: Record<string, number> }>,
  keys: readonly string[],
  o: { title: string; width?: number },
): string {
  const W = o.width ?? 720,
    rowH = 22,
    L = 230,
    R = 20,
    T = 50;
  const H = T + rowH * rows.length + 10;
  const parts = [
    `<svg class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(o.title)}">`,
    `<text x="10" y="18" class="title">${esc(o.title)}</text>`,
  ];
  keys.forEach((k, i) =>
    parts.push(
      `<rect x="${L + i * 130}" y="28" width="12" height="12" fill="${color(i)}"/><text class="legend" x="${L + i * 130 + 16}" y="38">${esc(k)}</text>`,
    ),
  );
  rows.forEach((r, j) => {
    const y = T + j * rowH;
    parts.push(`<text class="tick" x="${L - 6}" y="${y + 15}" text-anchor="end">${esc(r.label)}</text>`);
    let x = L;
    keys.forEach((k, i) => {
      const w = (r.shares[k] ?? 0) * (W - L - R);
      if (w <= 0) return;
      parts.push(
        `<rect class="segment" x="${x.toFixed(1)}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowH - 6}" fill="${color(i)}"><title>${esc(r.label)} ${esc(k)}: ${((r.shares[k] ?? 0) * 100).toFixed(1)}%</title></rect>`,
      );
      if (w > 28)
        parts.push(
          `<text class="inbar" x="${(x + w / 2).toFixed(1)}" y="${y + 15}" text-anchor="middle">${((r.shares[k] ?? 0) * 100).toFixed(0)}%</text>`,
        );
      x += w;
    });
  });
  parts.push('</svg>');
  return parts.join('');
}
