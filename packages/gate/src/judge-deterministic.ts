import type { DeterministicBaselineFile, DeterministicEntry, FigureBaseline } from './baseline-file.js';
import { FIGURE_NAMES, SPREAD_MULTIPLE, type DeterministicMeasurement } from './deterministic-suite.js';
import type { VerdictRow } from './verdict.js';

/**
 * Compare deterministic figures with their baseline. Any change beyond the stated tolerance decides:
 * worse is a regression, better an improvement (pass the gate, refresh the baseline). The baseline
 * keeps one entry per id and code path; a cell measured on a code path its baseline lacks cannot be
 * compared and is `unknown`.
 */
export function judgeDeterministic(
  baseline: DeterministicBaselineFile | null,
  measured: readonly DeterministicMeasurement[],
): VerdictRow[] {
  const rows: VerdictRow[] = [];
  const byId = new Map<string, DeterministicEntry[]>();
  for (const e of baseline?.entries ?? []) byId.set(e.id, [...(byId.get(e.id) ?? []), e]);
  const change = (now: number, base: number) => (base !== 0 ? ((now - base) / Math.abs(base)) * 100 : null);
  for (const m of measured) {
    const id = m.id;
    const subject = `${m.kernelName ?? m.kernel} · ${m.cell}${m.strategy === 'sequential' ? '' : ` · ${m.strategy}`}`;
    const row = (figure: string, rest: Partial<VerdictRow> & Pick<VerdictRow, 'verdict' | 'note'>): VerdictRow => ({
      suite: 'deterministic',
      id: `${id}/${figure}`,
      figure,
      subject,
      baseline: null,
      now: null,
      changePercent: null,
      allowed: '',
      ...rest,
    });
    if (m.status !== 'ok' || !m.figures) {
      rows.push(row('*', { verdict: 'skipped', note: `kernel '${m.kernel}' ${m.status}: ${m.reason ?? ''}`.trim() }));
      continue;
    }
    const group = byId.get(id) ?? [];
    const entry = group.find((e) => e.kernelName === m.kernelName) ?? group[0];
    const specChanged = entry && JSON.stringify(entry.spec) !== JSON.stringify(m.spec);
    for (const name of FIGURE_NAMES) {
      const now = m.figures[name];
      const fb = entry?.figures[name];
      if (!entry || !fb) {
        rows.push(
          row(name, {
            now,
            verdict: 'new',
            note: 'no baseline entry: run pnpm bench:baseline --suite deterministic and commit bench/baselines/deterministic.json',
          }),
        );
      } else if (entry.kernelName !== m.kernelName) {
        rows.push(
          row(name, {
            now,
            baseline: fb.value,
            verdict: 'unknown',
            note: `baseline ran code path ${group.map((e) => `'${e.kernelName}'`).join(', ')}, this machine runs '${m.kernelName}': baseline this kernel here`,
          }),
        );
      } else if (specChanged) {
        rows.push(
          row(name, {
            now,
            baseline: fb.value,
            changePercent: change(now, fb.value),
            verdict: 'stale',
            note: 'the cell definition changed since the baseline: re-baseline (pnpm bench:baseline --suite deterministic)',
          }),
        );
      } else if (entry.datasetHash !== m.datasetHash) {
        rows.push(
          row(name, {
            now,
            baseline: fb.value,
            changePercent: change(now, fb.value),
            verdict: 'stale',
            note: `the cell's vectors changed since the baseline (dataset hash ${entry.datasetHash} → ${m.datasetHash ?? '?'}): the generator or loader changed; re-baseline (pnpm bench:baseline --suite deterministic)`,
          }),
        );
      } else {
        const verdict = compareFigure(fb, now);
        if (fb.runs && verdict.verdict !== 'pass')
          verdict.note += ` (a threaded build's counters vary with thread interleaving: tolerance covers ${SPREAD_MULTIPLE}× the range of ${fb.runs.length} baseline runs)`;
        rows.push(row(name, verdict));
      }
    }
  }
  return rows;
}

/** The verdict of one figure against its baseline value and tolerance. */
export function compareFigure(
  fb: FigureBaseline,
  now: number,
): Pick<VerdictRow, 'baseline' | 'now' | 'changePercent' | 'allowed' | 'verdict' | 'note'> {
  const base = fb.value;
  const diff = now - base;
  const changePercent = base !== 0 ? (diff / Math.abs(base)) * 100 : diff === 0 ? 0 : null;
  const { relative, absolute } = fb.tolerance;
  const allowedAbs = Math.max(relative !== undefined ? relative * Math.abs(base) : 0, absolute ?? 0);
  const allowed = relative !== undefined ? `±${(relative * 100).toFixed(2)}%` : `±${absolute}`;
  const common = { baseline: base, now, changePercent, allowed };
  if (!Number.isFinite(now)) return { ...common, verdict: 'regression', note: `measured ${now}: the figure is missing from the result` };
  if (diff === 0) return { ...common, verdict: 'pass', note: 'identical' };
  if (Math.abs(diff) <= allowedAbs) return { ...common, verdict: 'pass', note: 'within tolerance' };
  const worse = fb.better === 'lower' ? diff > 0 : diff < 0;
  return {
    ...common,
    verdict: worse ? 'regression' : 'improvement',
    note: worse ? `worse by more than ${allowed}` : `better by more than ${allowed}: refresh the baseline`,
  };
}
