import { BUCKETS, PHASES, type Attribution, type Bucket } from './attribution.js';
import { formatTable, ms, pct, signed } from './format-table.js';

/** The printed report of one attribution: method, phase shares, timer agreement, top functions by self time. */
export function formatAttribution(a: Attribution, top = 20): string {
  const out: string[] = [];
  const cell = a.cell ? ` · ${a.cell.id}` : '';
  out.push(`hnswlab-flame · ${a.phase}${cell} · tool ${a.tool}`);
  out.push(`method: ${a.method.description}`);
  if (a.toolCommand)
    out.push(
      `source: a --cpu-prof run of the cell; the ${a.tool} flamegraph comes from a run of its own (V8 stops its --prof tick log while the CPU profiler runs)`,
    );
  const threads = a.profiles.length;
  out.push(
    `window: ${ms(a.activeMs)} ms active over ${threads} thread${threads === 1 ? '' : 's'} (idle ${ms(a.idleMs)} ms), ${a.units} ${a.unitName}` +
      (a.phase === 'build' && a.cell?.vectorsPerSecond
        ? `; bench: ${Math.round(a.cell.vectorsPerSecond)} vectors/s, ${a.cell.distanceEvalsPerInsert?.toFixed(0)} distances/insert`
        : ''),
  );
  out.push('');
  out.push(
    formatTable(
      ['bucket', 'ms', 'share', `ms/1k ${a.unitName}`],
      BUCKETS.map((b) => [label(b), ms(a.buckets[b].ms), pct(a.buckets[b].share), ms(a.buckets[b].msPer1k, 2)]),
    ),
  );
  if (a.phase === 'build') {
    out.push('');
    out.push('timer view (as the core times it: kernel time in the phase that called it, GC and bookkeeping in the phase in progress):');
    const rows = PHASES.map((p) => {
      const prof = a.timerView.shares[p];
      const core = a.coreTimers?.[p];
      return [p, pct(prof), core === undefined ? '–' : pct(core), core === undefined ? '–' : signed(100 * (prof - core))];
    });
    out.push(formatTable(['phase', 'profile', 'core timers', 'Δ pp'], rows));
    if (a.agreement) {
      out.push(
        `agreement: max |Δ| ${a.agreement.maxDeltaPp.toFixed(1)} pp, ${a.agreement.ok ? 'within' : 'OUTSIDE'} ±${a.agreement.tolerancePp} pp`,
      );
    }
    out.push(
      `GC and insert bookkeeping charged to the phase in progress: ${ms(a.timerView.carriedMs)} ms; unattributed: ${ms(a.timerView.unattributedMs)} ms`,
    );
    if (a.timerView.fusedInsertMs)
      out.push(
        `fused insert calls (one per vector, opaque to the profiler) split by the kernel's own phase timers: ${ms(a.timerView.fusedInsertMs)} ms`,
      );
  }
  out.push('');
  out.push(`top ${Math.min(top, a.functions.length)} functions by self time:`);
  out.push(
    formatTable(
      ['function', 'self ms', 'self', 'total', 'bucket', 'inlined', 'where'],
      a.functions
        .slice(0, top)
        .map((f) => [
          f.name,
          ms(f.selfMs),
          pct(f.selfShare),
          pct(f.totalShare),
          mainBucket(f.selfByBucket),
          f.inlinedSelfMs === null ? '' : pct(f.selfMs > 0 ? f.inlinedSelfMs / f.selfMs : 0, 0),
          f.file ? `${f.file}:${f.line}` : '',
        ]),
    ),
  );
  out.push(`inlined = self time at lines of other functions V8 inlined into it (positionTicks); all functions: ${ms(a.inlinedSelfMs)} ms`);
  return out.join('\n');
}

function label(b: Bucket): string {
  return b === 'kernel' ? 'kernel (distance calls)' : b === 'harness' ? 'harness overhead' : b;
}

function mainBucket(by: Partial<Record<Bucket, number>>): string {
  const entries = Object.entries(by).sort((x, y) => y[1] - x[1]);
  if (entries.length === 0) return '';
  const total = entries.reduce((s, [, v]) => s + v, 0);
  return entries[0][0] + (entries.length > 1 && entries[0][1] < 0.95 * total ? '+' : '');
}
