import type { Verdict, VerdictRow } from './verdict.js';

const WORD: Record<Verdict, string> = {
  pass: 'pass',
  regression: 'REGRESSION',
  improvement: 'improvement',
  unknown: 'unknown',
  stale: 'STALE',
  missing: 'MISSING',
  skipped: 'skipped',
  new: 'new',
};

const MARK: Record<Verdict, string> = {
  pass: '✅ pass',
  regression: '❌ **regression**',
  improvement: '🚀 improvement',
  unknown: '❔ unknown',
  stale: '⚠️ **stale baseline**',
  missing: '⛔ **missing kernel**',
  skipped: '⏭️ skipped',
  new: '🆕 new',
};

/** A figure as printed: up to 4 significant decimals, no exponent for the sizes the gate sees. */
export function formatNumber(v: number | null): string {
  if (v === null || Number.isNaN(v)) return '–';
  if (Number.isInteger(v)) return String(v);
  const abs = Math.abs(v);
  return v.toFixed(abs >= 100 ? 2 : abs >= 1 ? 3 : 4);
}

function formatChange(v: number | null): string {
  if (v === null) return '–';
  return `${v >= 0 ? '+' : ''}${v.toFixed(2)}%`;
}

/** Counts per verdict, e.g. `12 pass, 1 regression`. */
export function summarize(rows: readonly VerdictRow[]): string {
  const counts = new Map<Verdict, number>();
  for (const r of rows) counts.set(r.verdict, (counts.get(r.verdict) ?? 0) + 1);
  const order: Verdict[] = ['regression', 'stale', 'missing', 'unknown', 'improvement', 'new', 'skipped', 'pass'];
  return (
    order
      .filter((v) => counts.has(v))
      .map((v) => `${counts.get(v)} ${v}`)
      .join(', ') || 'no figures'
  );
}

/** One line per failing figure, e.g. `REGRESSION distanceEvalsPerInsert [js · uniform-l2-d32-n2000]: 878.9 → 950.1 (+8.10%, allowed ±0.50%)`. */
export function alarmLines(rows: readonly VerdictRow[]): string[] {
  return rows
    .filter((r) => r.verdict === 'regression' || r.verdict === 'stale' || r.verdict === 'missing')
    .map(
      (r) =>
        `${WORD[r.verdict]} ${r.figure} [${r.subject}]: baseline ${formatNumber(r.baseline)} → now ${formatNumber(r.now)} (${formatChange(r.changePercent)}, allowed ${r.allowed || '–'}) ${r.note}`,
    );
}

/** The verdict table as aligned plain text, for stdout. */
export function renderText(rows: readonly VerdictRow[]): string {
  const head = ['suite', 'figure', 'subject', 'baseline', 'now', 'change', 'allowed', 'verdict', 'note'];
  const body = rows.map((r) => [
    r.suite,
    r.figure,
    r.subject,
    formatNumber(r.baseline),
    formatNumber(r.now),
    formatChange(r.changePercent),
    r.allowed || '–',
    WORD[r.verdict],
    r.note,
  ]);
  const widths = head.map((h, i) => Math.min(i === 8 ? 0 : 60, Math.max(h.length, ...body.map((b) => b[i].length))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/** The verdict table as GitHub markdown, for a PR comment or a job summary; regressions first. */
export function renderMarkdown(rows: readonly VerdictRow[], title: string, context: readonly string[] = []): string {
  const rank: Record<Verdict, number> = { regression: 0, stale: 1, missing: 2, unknown: 3, improvement: 4, new: 5, skipped: 6, pass: 7 };
  const sorted = [...rows].sort((a, b) => rank[a.verdict] - rank[b.verdict]);
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const out = [`## ${title}`, '', `**${summarize(rows)}**`, ''];
  for (const c of context) out.push(`- ${c}`);
  if (context.length) out.push('');
  out.push(
    '| verdict | suite | figure | subject | baseline | now | change | allowed | note |',
    '|---|---|---|---|---:|---:|---:|---:|---|',
  );
  for (const r of sorted) {
    out.push(
      `| ${MARK[r.verdict]} | ${r.suite} | ${esc(r.figure)} | ${esc(r.subject)} | ${formatNumber(r.baseline)} | ${formatNumber(r.now)} | ${formatChange(r.changePercent)} | ${esc(r.allowed || '–')} | ${esc(r.note)} |`,
    );
  }
  return `${out.join('\n')}\n`;
}
