// Small static SVG charts for the HTML report: no script, no network, readable with JavaScript off.
// Every chart has a viewBox and scales to its container (phones included); text stays proportional.
import { OKABE_ITO, PEER_COLOR, type Marker } from './palette.js';

export interface Series {
  name: string;
  /** The points the line joins, in order (for recall–QPS: the Pareto frontier). */
  points: Array<[number, number]>;
  /** Points drawn faint and not joined (for recall–QPS: the dominated sweep points). */
  faint?: Array<[number, number]>;
  color?: string;
  marker?: Marker;
  /** Dashed line (peers). */
  dashed?: boolean;
  /** The dash pattern of a dashed line (default "6 4"), to tell peers apart without colour. */
  dash?: string;
}

/** An axis: linear, log (powers of ten and their 2 and 5), or logit (recall, as ann-benchmarks plots it). */
export type Scale = 'linear' | 'log' | 'logit';

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  x?: Scale;
  y?: Scale;
  /** Shared ranges, so small multiples compare at a glance. */
  xDomain?: [number, number];
  yDomain?: [number, number];
  /** 'right' draws a legend beside the plot; 'none' leaves it to the page (one legend for a row of panels). */
  legend?: 'right' | 'none';
  width?: number;
  height?: number;
}

/** Recall is clamped below 1 on a logit axis (logit(1) is infinite); 1 − 1e-4 is drawn as "1". */
export const LOGIT_MAX = 0.9999;

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function forward(scale: Scale, v: number): number {
  if (scale === 'log') return Math.log(v);
  if (scale === 'logit') {
    const p = Math.min(LOGIT_MAX, v);
    return Math.log(p / (1 - p));
  }
  return v;
}

function valid(scale: Scale, v: number): boolean {
  return Number.isFinite(v) && (scale === 'linear' || (v > 0 && (scale !== 'logit' || v < 1 + 1e-12)));
}

function niceTicks(lo: number, hi: number, scale: Scale): number[] {
  if (scale === 'logit') {
    const out = [0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999].filter((v) => v >= lo - 1e-12 && v <= hi + 1e-12);
    if (hi >= LOGIT_MAX) out.push(LOGIT_MAX);
    return out.length >= 2 ? out : [lo, hi];
  }
  if (scale === 'log') {
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

/** A tick or value label: 12.3k, 1.5M, 0.995 (never two ticks printed alike). */
export function label(v: number, step?: number): string {
  if (v === LOGIT_MAX) return '1';
  if (Math.abs(v) >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (Math.abs(v) >= 1e3) return `${+(v / 1e3).toPrecision(3)}k`;
  if (step !== undefined && step > 0 && step < 1) return v.toFixed(Math.min(6, Math.ceil(-Math.log10(step))));
  return `${+v.toPrecision(3)}`;
}

/** A marker shape centred on (x, y), with an optional <title> (the hover text). */
function marker(shape: Marker, x: number, y: number, r: number, fill: string, attrs = '', title?: string): string {
  const p = (pts: Array<[number, number]>) => pts.map(([a, b]) => `${(x + a).toFixed(1)},${(y + b).toFixed(1)}`).join(' ');
  const close = (tag: string) => (title ? `>${`<title>${esc(title)}</title>`}</${tag}>` : '/>');
  const extra = attrs ? ` ${attrs}` : '';
  switch (shape) {
    case 'square':
      return `<rect class="mark" x="${(x - r).toFixed(1)}" y="${(y - r).toFixed(1)}" width="${2 * r}" height="${2 * r}" fill="${fill}"${extra}${close('rect')}`;
    case 'triangle':
      return `<polygon class="mark" points="${p([
        [0, -r * 1.2],
        [r * 1.1, r * 0.8],
        [-r * 1.1, r * 0.8],
      ])}" fill="${fill}"${extra}${close('polygon')}`;
    case 'diamond':
      return `<polygon class="mark" points="${p([
        [0, -r * 1.3],
        [r * 1.1, 0],
        [0, r * 1.3],
        [-r * 1.1, 0],
      ])}" fill="${fill}"${extra}${close('polygon')}`;
    case 'cross':
    case 'plus': {
      const d = shape === 'cross' ? r : r * 1.2;
      const lines =
        shape === 'cross'
          ? `M${(x - d).toFixed(1)},${(y - d).toFixed(1)}L${(x + d).toFixed(1)},${(y + d).toFixed(1)}M${(x - d).toFixed(1)},${(y + d).toFixed(1)}L${(x + d).toFixed(1)},${(y - d).toFixed(1)}`
          : `M${(x - d).toFixed(1)},${y.toFixed(1)}L${(x + d).toFixed(1)},${y.toFixed(1)}M${x.toFixed(1)},${(y - d).toFixed(1)}L${x.toFixed(1)},${(y + d).toFixed(1)}`;
      return `<path class="mark" d="${lines}" stroke="${fill}" stroke-width="2" fill="none"${extra}${close('path')}`;
    }
    default:
      return `<circle class="mark" cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${r}" fill="${fill}"${extra}${close('circle')}`;
  }
}

/** A legend entry: the line (dashed for peers) with the series' marker. */
export function legendSwatch(s: Pick<Series, 'color' | 'marker' | 'dashed' | 'dash'>, i = 0): string {
  const c = s.color ?? OKABE_ITO[i % OKABE_ITO.length];
  return `<svg class="swatch" viewBox="0 0 28 12" width="28" height="12" aria-hidden="true"><line x1="1" x2="27" y1="6" y2="6" stroke="${c}" stroke-width="2"${s.dashed ? ` stroke-dasharray="${s.dash ?? '6 4'}"` : ''}/>${s.dashed ? '' : marker(s.marker ?? 'circle', 14, 6, 3.5, c)}</svg>`;
}

/** The x or y range of some series on an axis (for shared panel axes). */
export function domainOf(series: readonly Series[], axis: 0 | 1, scale: Scale): [number, number] | undefined {
  const vs = series.flatMap((s) => [...s.points, ...(s.faint ?? [])].map((p) => p[axis])).filter((v) => valid(scale, v));
  return vs.length ? [Math.min(...vs), Math.max(...vs)] : undefined;
}

/** A line chart with markers, axes, ticks and (optionally) a legend; one <path class="series"> per series. */
export function lineChart(series: readonly Series[], o: LineChartOptions): string {
  const xs = o.x ?? 'linear',
    ys = o.y ?? 'linear';
  const legend = o.legend ?? 'right';
  const W = o.width ?? (legend === 'right' ? 640 : 420),
    H = o.height ?? 300,
    L = 58,
    R = legend === 'right' ? 190 : 14,
    T = 30,
    B = 46;
  const dx = o.xDomain ?? domainOf(series, 0, xs);
  const dy = o.yDomain ?? domainOf(series, 1, ys);
  if (!dx || !dy)
    return `<svg class="chart empty" viewBox="0 0 ${W} 60" role="img" aria-label="${esc(o.title)}"><text x="10" y="30">${esc(o.title)}: no data</text></svg>`;
  let [x0, x1] = dx,
    [y0, y1] = dy;
  if (xs === 'logit') {
    x1 = Math.min(LOGIT_MAX, x1);
    x0 = Math.min(x0, x1 - 0.01);
  }
  if (x0 === x1) [x0, x1] = xs === 'log' ? [x0 / 2, x1 * 2] : [x0 - 1, x1 + 1];
  if (y0 === y1) [y0, y1] = ys === 'log' ? [y0 / 2, y1 * 2] : [y0 - 1, y1 + 1];
  if (ys === 'linear' && y0 > 0 && y0 < y1 - y0) y0 = 0;
  if (ys === 'log') [y0, y1] = [y0 / 1.15, y1 * 1.15];
  const fx0 = forward(xs, x0),
    fx1 = forward(xs, x1),
    fy0 = forward(ys, y0),
    fy1 = forward(ys, y1);
  const tx = (x: number) => L + ((forward(xs, x) - fx0) / (fx1 - fx0)) * (W - L - R);
  const ty = (y: number) => H - B - ((forward(ys, y) - fy0) / (fy1 - fy0)) * (H - T - B);
  const parts: string[] = [];
  parts.push(`<svg class="chart" viewBox="0 0 ${W} ${H}" style="max-width:${W}px" role="img" aria-label="${esc(o.title)}">`);
  parts.push(`<text x="${L}" y="18" class="title">${esc(o.title)}</text>`);
  const xt = niceTicks(x0, x1, xs),
    yt = niceTicks(y0, y1, ys);
  const xstep = xs === 'linear' && xt.length > 1 ? Math.abs(xt[1] - xt[0]) : undefined;
  const ystep = ys === 'linear' && yt.length > 1 ? Math.abs(yt[1] - yt[0]) : undefined;
  let lastTickX = -Infinity;
  for (const v of xt) {
    const x = tx(v);
    parts.push(`<line class="grid" x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${T}" y2="${H - B}"/>`);
    // logit ticks crowd near 1: print a label only where it has room
    if (x - lastTickX >= 30) {
      parts.push(`<text class="tick" x="${x.toFixed(1)}" y="${H - B + 15}" text-anchor="middle">${label(v, xstep)}</text>`);
      lastTickX = x;
    }
  }
  for (const v of yt)
    parts.push(
      `<line class="grid" x1="${L}" x2="${W - R}" y1="${ty(v).toFixed(1)}" y2="${ty(v).toFixed(1)}"/><text class="tick" x="${L - 6}" y="${(ty(v) + 4).toFixed(1)}" text-anchor="end">${label(v, ystep)}</text>`,
    );
  parts.push(
    `<line class="axis" x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}"/><line class="axis" x1="${L}" x2="${L}" y1="${T}" y2="${H - B}"/>`,
  );
  parts.push(`<text class="axis-label" x="${(L + W - R) / 2}" y="${H - 10}" text-anchor="middle">${esc(o.xLabel)}</text>`);
  parts.push(
    `<text class="axis-label" transform="translate(14 ${(T + H - B) / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>`,
  );
  const inside = ([x, y]: [number, number]) => valid(xs, x) && valid(ys, y);
  series.forEach((s, i) => {
    const c = s.color ?? (s.dashed ? PEER_COLOR : OKABE_ITO[i % OKABE_ITO.length]);
    for (const [x, y] of (s.faint ?? []).filter(inside))
      parts.push(marker(s.marker ?? 'circle', tx(x), ty(y), 2.5, c, 'opacity="0.3"', `${s.name} (dominated): ${label(x)}, ${label(y)}`));
    const ok = s.points.filter(inside);
    if (!ok.length) return;
    const d = ok.map(([x, y], j) => `${j ? 'L' : 'M'}${tx(x).toFixed(1)},${ty(y).toFixed(1)}`).join(' ');
    parts.push(
      `<path class="series" d="${d}" fill="none" stroke="${c}" stroke-width="2"${s.dashed ? ` stroke-dasharray="${s.dash ?? '6 4'}"` : ''}><title>${esc(s.name)}</title></path>`,
    );
    if (!s.dashed)
      for (const [x, y] of ok) parts.push(marker(s.marker ?? 'circle', tx(x), ty(y), 3.5, c, '', `${s.name}: ${label(x)}, ${label(y)}`));
    if (legend === 'right') {
      const ly = T + 16 * i;
      parts.push(
        `<g transform="translate(${W - R + 10} ${ly - 6})">${legendSwatch({ ...s, color: c }).replace('<svg class="swatch"', '<svg')}</g><text class="legend" x="${W - R + 42}" y="${ly + 4}">${esc(s.name)}</text>`,
      );
    }
  });
  parts.push('</svg>');
  return parts.join('');
}

export interface Bar {
  label: string;
  value: number;
  /** The value as printed after the bar (default: the value with its unit). */
  text?: string;
  color?: string;
  /** Peer bars are grey. */
  reference?: boolean;
}

/** A legend of colour boxes that wraps onto more lines where the chart is narrow; returns its markup and height. */
function boxLegend(keys: readonly string[], x0: number, y0: number, width: number): { svg: string; height: number } {
  const parts: string[] = [];
  let x = x0,
    y = y0;
  keys.forEach((k, i) => {
    const w = 22 + k.length * 6.5;
    if (x > x0 && x + w > x0 + width) {
      x = x0;
      y += 16;
    }
    parts.push(
      `<rect x="${x.toFixed(1)}" y="${y}" width="12" height="12" fill="${OKABE_ITO[i % OKABE_ITO.length]}"/><text class="legend" x="${(x + 16).toFixed(1)}" y="${y + 10}">${esc(k)}</text>`,
    );
    x += w + 10;
  });
  return { svg: parts.join(''), height: y - y0 + 16 };
}

// Bars are laid out with the label above each bar, so a chart stays legible when a phone scales it down.
const BAR_W = 420;

/**
 * Horizontal bars, one <rect class="bar"> per bar under its label, the value printed after it; an
 * optional vertical reference line. `log` scales bar lengths logarithmically (for values spanning
 * decades, e.g. event-loop delays from 0.1 ms to seconds); values at or below the floor get a stub.
 */
export function barChart(
  bars: readonly Bar[],
  o: { title: string; unit: string; width?: number; reference?: { value: number; label: string }; log?: boolean },
): string {
  const W = o.width ?? BAR_W,
    rowH = 32,
    L = 10,
    R = 120,
    T = 28;
  const H = T + rowH * bars.length + 22;
  const max = Math.max(1e-12, ...bars.map((b) => b.value).filter(Number.isFinite), o.reference?.value ?? 0);
  const positive = bars.map((b) => b.value).filter((v) => Number.isFinite(v) && v > 0);
  const floor = Math.min(max / 10, ...positive.map((v) => v / 2));
  const sx = o.log
    ? (v: number) => (v <= floor ? 0 : (Math.log(v / floor) / Math.log(max / floor)) * (W - L - R))
    : (v: number) => (v / max) * (W - L - R);
  const parts = [
    `<svg class="chart" viewBox="0 0 ${W} ${H}" style="max-width:${W}px" role="img" aria-label="${esc(o.title)}">`,
    `<text x="${L}" y="16" class="title">${esc(o.title)}</text>`,
  ];
  bars.forEach((b, i) => {
    const y = T + i * rowH;
    const w = Number.isFinite(b.value) ? sx(b.value) : 0;
    const fill = b.color ?? (b.reference ? PEER_COLOR : OKABE_ITO[0]);
    parts.push(`<text class="tick" x="${L}" y="${y + 11}">${esc(b.label)}</text>`);
    parts.push(
      `<rect class="bar" x="${L}" y="${y + 15}" width="${Math.max(1, w).toFixed(1)}" height="12" fill="${fill}"${b.reference ? ' fill-opacity="0.55"' : ''}><title>${esc(b.label)}: ${label(b.value)} ${esc(o.unit)}</title></rect>`,
    );
    parts.push(`<text class="tick" x="${(L + w + 4).toFixed(1)}" y="${y + 25}">${esc(b.text ?? `${label(b.value)} ${o.unit}`)}</text>`);
  });
  if (o.reference && Number.isFinite(o.reference.value)) {
    const x = L + sx(o.reference.value);
    parts.push(
      `<line class="refline" x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${T - 2}" y2="${H - 18}" stroke="${PEER_COLOR}" stroke-dasharray="4 3"/><text class="tick" x="${Math.min(x, W - 90).toFixed(1)}" y="${H - 5}" text-anchor="middle">${esc(o.reference.label)}</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('');
}

/** Stacked horizontal bars of shares (each row sums to 1) under their labels, one <rect class="segment"> per segment, with a legend. */
export function stackedBars(
  rows: ReadonlyArray<{ label: string; shares: Record<string, number> }>,
  keys: readonly string[],
  o: { title: string; width?: number },
): string {
  const W = o.width ?? BAR_W,
    rowH = 32,
    L = 10,
    R = 10;
  const legend = boxLegend(keys, L, 26, W - L - R);
  const T = 30 + legend.height;
  const H = T + rowH * rows.length + 6;
  const parts = [
    `<svg class="chart" viewBox="0 0 ${W} ${H}" style="max-width:${W}px" role="img" aria-label="${esc(o.title)}">`,
    `<text x="${L}" y="16" class="title">${esc(o.title)}</text>`,
    legend.svg,
  ];
  rows.forEach((r, j) => {
    const y = T + j * rowH;
    parts.push(`<text class="tick" x="${L}" y="${y + 11}">${esc(r.label)}</text>`);
    let x = L;
    keys.forEach((k, i) => {
      const w = (r.shares[k] ?? 0) * (W - L - R);
      if (w <= 0) return;
      parts.push(
        `<rect class="segment" x="${x.toFixed(1)}" y="${y + 15}" width="${w.toFixed(1)}" height="13" fill="${OKABE_ITO[i % OKABE_ITO.length]}"><title>${esc(r.label)} ${esc(k)}: ${((r.shares[k] ?? 0) * 100).toFixed(1)}%</title></rect>`,
      );
      if (w > 28)
        parts.push(
          `<text class="inbar" x="${(x + w / 2).toFixed(1)}" y="${y + 25}" text-anchor="middle">${((r.shares[k] ?? 0) * 100).toFixed(0)}%</text>`,
        );
      x += w;
    });
  });
  parts.push('</svg>');
  return parts.join('');
}
