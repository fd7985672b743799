import { BUCKETS, type Attribution, type Bucket } from './attribution.js';
import { formatTable, ms, pct, signed } from './format-table.js';

export interface BucketChange {
  bucket: Bucket;
  beforeShare: number;
  afterShare: number;
  /** afterShare − beforeShare, percentage points. */
  deltaPp: number;
  beforeMsPer1k: number;
  afterMsPer1k: number;
  deltaMsPer1k: number;
}

export interface FunctionChange {
  name: string;
  file: string;
  beforeSelfShare: number;
  afterSelfShare: number;
  deltaPp: number;
  beforeSelfMsPer1k: number;
  afterSelfMsPer1k: number;
  deltaMsPer1k: number;
  /** In only one of the two tables (absent, or under that table's threshold). */
  only?: 'before' | 'after';
}

export interface AttributionDiff {
  before: { label: string; units: number; unitName: string; activeMs: number };
  after: { label: string; units: number; unitName: string; activeMs: number };
  /** Warnings that make the comparison less than like for like (phase, method, unit). */
  caveats: string[];
  buckets: BucketChange[];
  /** Functions whose self time changed, largest |Δ ms per 1k| first. */
  functions: FunctionChange[];
}

const per1k = (ms: number, units: number) => (units > 0 ? (ms / units) * 1000 : 0);

/**
 * Compare two attributions (before, after): the change of every bucket and function in share
 * (percentage points) and in absolute milliseconds per 1,000 inserts (or searches), so a change that
 * made everything faster is not mistaken for one that only moved time around.
 */
export function diffAttributions(before: Attribution, after: Attribution, beforeLabel = 'A', afterLabel = 'B'): AttributionDiff {
  const caveats: string[] = [];
  if (before.phase !== after.phase) caveats.push(`different phases: ${before.phase} vs ${after.phase}`);
  if (before.method.inlining !== after.method.inlining)
    caveats.push(
      `different inlining: ${before.method.inlining} vs ${after.method.inlining} (self times are not comparable function by function)`,
    );
  if (before.unitName !== after.unitName) caveats.push(`different units: ${before.unitName} vs ${after.unitName}`);
  const buckets = BUCKETS.map((bucket): BucketChange => {
    const b = before.buckets[bucket],
      a = after.buckets[bucket];
    return {
      bucket,
      beforeShare: b.share,
      afterShare: a.share,
      deltaPp: 100 * (a.share - b.share),
      beforeMsPer1k: b.msPer1k,
      afterMsPer1k: a.msPer1k,
      deltaMsPer1k: a.msPer1k - b.msPer1k,
    };
  });
  const key = (f: { name: string; file: string }) => `${f.name} ${f.file}`;
  const map = new Map<string, FunctionChange>();
  for (const f of before.functions) {
    map.set(key(f), {
      name: f.name,
      file: f.file,
      beforeSelfShare: f.selfShare,
      afterSelfShare: 0,
      deltaPp: 0,
      beforeSelfMsPer1k: per1k(f.selfMs, before.units),
      afterSelfMsPer1k: 0,
      deltaMsPer1k: 0,
      only: 'before',
    });
  }
  for (const f of after.functions) {
    const c = map.get(key(f)) ?? {
      name: f.name,
      file: f.file,
      beforeSelfShare: 0,
      afterSelfShare: 0,
      deltaPp: 0,
      beforeSelfMsPer1k: 0,
      afterSelfMsPer1k: 0,
      deltaMsPer1k: 0,
      only: 'after' as const,
    };
    c.afterSelfShare = f.selfShare;
    c.afterSelfMsPer1k = per1k(f.selfMs, after.units);
    if (c.only === 'before') delete c.only;
    map.set(key(f), c);
  }
  const functions = [...map.values()];
  for (const c of functions) {
    c.deltaPp = 100 * (c.afterSelfShare - c.beforeSelfShare);
    c.deltaMsPer1k = c.afterSelfMsPer1k - c.beforeSelfMsPer1k;
  }
  functions.sort((x, y) => Math.abs(y.deltaMsPer1k) - Math.abs(x.deltaMsPer1k));
  const side = (a: Attribution, label: string) => ({ label, units: a.units, unitName: a.unitName, activeMs: a.activeMs });
  return { before: side(before, beforeLabel), after: side(after, afterLabel), caveats, buckets, functions };
}

/** The printed diff: buckets, then the functions that grew or shrank most. */
export function formatDiff(d: AttributionDiff, top = 15): string {
  const unit = d.after.unitName;
  const out: string[] = [];
  out.push(`hnswlab-flame diff: A = ${d.before.label}`);
  out.push(`                   B = ${d.after.label}`);
  const total = (x: AttributionDiff['before']) => per1k(x.activeMs, x.units);
  out.push(
    `active time: ${ms(total(d.before), 2)} -> ${ms(total(d.after), 2)} ms per 1k ${unit} (${signed(total(d.after) - total(d.before), 2)}, ×${(total(d.after) / Math.max(1e-9, total(d.before))).toFixed(2)})`,
  );
  for (const c of d.caveats) out.push(`caveat: ${c}`);
  out.push('');
  out.push(
    formatTable(
      ['bucket', 'A share', 'B share', 'Δ pp', `A ms/1k`, `B ms/1k`, `Δ ms/1k ${unit}`],
      d.buckets.map((b) => [
        b.bucket,
        pct(b.beforeShare),
        pct(b.afterShare),
        signed(b.deltaPp),
        ms(b.beforeMsPer1k, 2),
        ms(b.afterMsPer1k, 2),
        signed(b.deltaMsPer1k, 2),
      ]),
    ),
  );
  const show = (title: string, rows: FunctionChange[]) => {
    out.push('');
    out.push(title);
    out.push(
      formatTable(
        ['function', 'file', 'A self', 'B self', 'Δ pp', 'A ms/1k', 'B ms/1k', 'Δ ms/1k'],
        rows.map((f) => [
          f.name + (f.only ? ` (not in ${f.only === 'before' ? 'B' : 'A'}'s table)` : ''),
          f.file,
          pct(f.beforeSelfShare),
          pct(f.afterSelfShare),
          signed(f.deltaPp),
          ms(f.beforeSelfMsPer1k, 2),
          ms(f.afterSelfMsPer1k, 2),
          signed(f.deltaMsPer1k, 2),
        ]),
        2,
      ),
    );
  };
  show(`grew most (self time per 1k ${unit}):`, d.functions.filter((f) => f.deltaMsPer1k > 0).slice(0, top));
  show(`shrank most:`, d.functions.filter((f) => f.deltaMsPer1k < 0).slice(0, top));
  return out.join('\n');
}
