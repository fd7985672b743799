import { esc } from './svg-charts.js';

/** An HTML table in a horizontally scrolling box (phones); `**bold**` in a cell becomes <b>. */
export function htmlTable(head: readonly string[], rows: readonly string[][]): string {
  const cell = (s: string) => esc(s).replace(/\*\*(.+?)\*\*/g, '<b>$1</b>');
  const thead = `<thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>`;
  const tbody = `<tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${cell(c)}</td>`).join('')}</tr>`).join('')}</tbody>`;
  return `<div class="scroll"><table>${thead}${tbody}</table></div>`;
}
