import type { InstructionBaselineFile, InstructionEntry } from './baseline-file.js';
import { INSTRUCTION_FIGURE_LABELS, type InstructionFigure } from './instruction-cells.js';
import type { InstructionEnvironment, InstructionMeasurement, InstructionSuiteRun } from './instruction-suite.js';
import { compareFigure } from './judge-deterministic.js';
import type { VerdictRow } from './verdict.js';

const FIGURES = Object.keys(INSTRUCTION_FIGURE_LABELS) as InstructionFigure[];

/** The figures a cell yields (the search only where the cell counts it). */
export function cellFigures(m: Pick<InstructionMeasurement, 'cell'>): InstructionFigure[] {
  return FIGURES.filter((f) => f !== 'instructionsPerQuery' || m.cell.search);
}

/** Fields of two environments that differ, as `field a → b`. */
export function environmentDifferences(a: InstructionEnvironment, b: InstructionEnvironment): string[] {
  return (Object.keys(a) as (keyof InstructionEnvironment)[]).filter((k) => a[k] !== b[k]).map((k) => `${k} ${a[k]} → ${b[k]}`);
}

/**
 * Compare instruction counts with their baseline. A count beyond the entry's tolerance (a floor
 * widened by the measured repeat spread) is a regression or an improvement. It cannot be judged, and
 * is `unknown`, when valgrind is missing, when the baseline holds another code path or was counted
 * under another node, valgrind, C library or ISA level, or when its runs spread too much to gate on.
 */
export function judgeInstructions(baseline: InstructionBaselineFile | null, run: InstructionSuiteRun): VerdictRow[] {
  const rows: VerdictRow[] = [];
  const byId = new Map<string, InstructionEntry[]>();
  for (const e of baseline?.entries ?? []) byId.set(e.id, [...(byId.get(e.id) ?? []), e]);
  for (const m of run.measurements) {
    const subject = `${m.kernelName ?? m.cell.kernel} · ${m.cell.strategy} · ${m.cell.data}`;
    const row = (figure: string, rest: Partial<VerdictRow> & Pick<VerdictRow, 'verdict' | 'note'>): VerdictRow => ({
      suite: 'instructions',
      id: `${m.cell.id}/${figure}`,
      figure,
      subject,
      baseline: null,
      now: null,
      changePercent: null,
      allowed: '',
      ...rest,
    });
    if (m.status === 'no-valgrind' || m.status === 'failed') {
      // Never pass what was not counted.
      for (const f of cellFigures(m)) rows.push(row(f, { verdict: 'unknown', note: `not counted: ${m.reason ?? m.status}` }));
      continue;
    }
    if (m.status !== 'ok' || !m.figures) {
      rows.push(row('*', { verdict: 'skipped', note: `kernel '${m.cell.kernel}' ${m.status}: ${m.reason ?? ''}`.trim() }));
      continue;
    }
    const entries = byId.get(m.cell.id) ?? [];
    const entry = entries.find((e) => e.kernelName === m.kernelName);
    const envDiff = entry && run.environment ? environmentDifferences(entry.environment, run.environment) : [];
    for (const f of cellFigures(m)) {
      const now = m.figures[f] ?? NaN;
      const fb = entry?.figures[f];
      if (!entries.length || (entry && !fb)) {
        rows.push(
          row(f, { now, verdict: 'new', note: 'no baseline entry: run pnpm bench:baseline --suite instructions and commit the file' }),
        );
      } else if (!entry || !fb) {
        rows.push(
          row(f, {
            now,
            verdict: 'unknown',
            note: `the baseline holds code path ${entries.map((e) => `'${e.kernelName}'`).join(', ')}, this run took '${m.kernelName}': baseline that path (pnpm bench:baseline --suite instructions on such a machine)`,
          }),
        );
      } else if (JSON.stringify(entry.spec) !== JSON.stringify(m.cell.spec)) {
        rows.push(
          row(f, {
            now,
            baseline: fb.value,
            verdict: 'stale',
            note: 'the cell definition changed since the baseline: re-baseline (pnpm bench:baseline --suite instructions)',
          }),
        );
      } else if (envDiff.length) {
        rows.push(
          row(f, {
            now,
            baseline: fb.value,
            changePercent: ((now - fb.value) / fb.value) * 100,
            verdict: 'unknown',
            note: `counted in another environment (${envDiff.join(', ')}): run where the baseline was taken (the workflow's container) or re-baseline`,
          }),
        );
      } else if (!fb.gated) {
        rows.push(
          row(f, {
            now,
            baseline: fb.value,
            changePercent: ((now - fb.value) / fb.value) * 100,
            verdict: 'unknown',
            note: `reported, not gated: the baseline's ${fb.runs.length} runs spread ${(fb.spread * 100).toFixed(3)}%`,
          }),
        );
      } else {
        const r = compareFigure({ value: fb.value, better: 'lower', tolerance: fb.tolerance }, now);
        if (r.verdict === 'pass' && r.note === 'within tolerance')
          r.note = `within tolerance (repeat spread ${(fb.spread * 100).toFixed(4)}%)`;
        rows.push(row(f, r));
      }
    }
  }
  return rows;
}
