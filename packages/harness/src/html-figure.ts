import { esc, legendSwatch, lineChart, type LineChartOptions, type Series } from './svg-charts.js';

/** A chart with its caption; `kind` names it for the headless test (data-chart). */
export function figure(kind: string, caption: string, svg: string): string {
  return `<figure data-chart="${kind}">${svg}<figcaption>${esc(caption)}</figcaption></figure>`;
}

/** A line chart with its legend in HTML above it (wraps on a phone, never clipped). */
export function curveFigure(kind: string, caption: string, series: readonly Series[], o: LineChartOptions): string {
  const legend = `<ul class="legend">${series.map((s, i) => `<li>${legendSwatch(s, i)} ${esc(s.name)}</li>`).join('')}</ul>`;
  return figure(kind, caption, legend + lineChart(series, { ...o, legend: 'none' }));
}
