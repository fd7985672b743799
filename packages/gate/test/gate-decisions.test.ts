import { describe, expect, it } from 'vitest';
import {
  compareFigure,
  gateFails,
  gateability,
  judgePlantedCase,
  judgeTiming,
  tQuantile995,
  mannWhitneyU,
  parseSlowdown,
  renderMarkdown,
  alarmLines,
  timingPairs,
  type VerdictRow,
} from '@hnswlab/gate';
import { mad, median } from '@hnswlab/lab-kit';

// Seeded noise, so the statistics are tested on fixed samples.
function noisy(seed: number, n: number, centre: number, spread: number): number[] {
  let s = seed >>> 0 || 1;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const u = (s >>> 0) / 4294967296;
    out.push(centre * (1 + spread * (2 * u - 1)));
  }
  return out;
}

describe('robust statistics', () => {
  it('median and MAD of small samples', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(mad([1, 2, 3, 4, 100])).toBe(1);
  });
});

describe('Mann–Whitney U', () => {
  it('gives the exact two-sided p of complete separation (2 / C(10,5) for 5 vs 5)', () => {
    const r = mannWhitneyU([6, 7, 8, 9, 10], [1, 2, 3, 4, 5]);
    expect(r.exact).toBe(true);
    expect(r.u).toBe(25);
    expect(r.p).toBeCloseTo(2 / 252, 10);
  });

  it('is symmetric and finds no difference between interleaved samples', () => {
    const a = [1, 3, 5, 7, 9];
    const b = [2, 4, 6, 8, 10];
    expect(mannWhitneyU(a, b).p).toBeCloseTo(mannWhitneyU(b, a).p, 12);
    expect(mannWhitneyU(a, b).p).toBeGreaterThan(0.5);
  });

  it('handles ties with the normal approximation', () => {
    const r = mannWhitneyU([1, 1, 2, 2, 3], [1, 2, 2, 3, 3]);
    expect(r.exact).toBe(false);
    expect(r.p).toBeGreaterThan(0.3);
    expect(r.p).toBeLessThanOrEqual(1);
  });
});

describe('deterministic verdicts', () => {
  const evals = { value: 800, better: 'lower' as const, tolerance: { relative: 0.005 } };
  const recall = { value: 0.85, better: 'higher' as const, tolerance: { absolute: 0.005 } };

  it('passes identical and within-tolerance figures', () => {
    expect(compareFigure(evals, 800).verdict).toBe('pass');
    expect(compareFigure(evals, 803).verdict).toBe('pass');
    expect(compareFigure(recall, 0.847).verdict).toBe('pass');
  });

  it('fails a change beyond tolerance in the worse direction, and calls the other an improvement', () => {
    const worse = compareFigure(evals, 880);
    expect(worse.verdict).toBe('regression');
    expect(worse.changePercent).toBeCloseTo(10, 10);
    expect(compareFigure(evals, 700).verdict).toBe('improvement');
    expect(compareFigure(recall, 0.8).verdict).toBe('regression');
    expect(compareFigure(recall, 0.9).verdict).toBe('improvement');
  });

  it('treats a missing figure as a regression', () => {
    expect(compareFigure(evals, NaN).verdict).toBe('regression');
  });
});

describe('timing verdicts over fresh processes', () => {
  const quiet = { wallSeconds: 5, othersCores: 0.05, stealShare: 0, loadAverage: 0.1, quiet: true };
  const busy = { wallSeconds: 5, othersCores: 1.7, stealShare: 0, loadAverage: 3.2, quiet: false };
  // Each process: its own offset (the process-to-process noise) on top of the repeats' noise.
  const processes = (seed: number, n: number, centre: number, contention = quiet) =>
    Array.from({ length: n }, (_, i) => ({
      ratios: noisy(seed * 31 + i, 5, centre * (1 + 0.01 * (((seed + i) % 3) - 1)), 0.03),
      contention,
    }));
  const entry = { processes: processes(1, 5, 1), tolerance: { relative: 0.05 }, gated: true };

  it('passes an unchanged ratio', () => {
    expect(judgeTiming(entry, processes(2, 5, 1)).verdict).toBe('pass');
  });

  it('calls a clear 20% slowdown a regression and a 20% speed-up an improvement, on a quiet machine', () => {
    const slow = judgeTiming(entry, processes(3, 5, 1.2));
    expect(slow.verdict).toBe('regression');
    expect(slow.changePercent).toBeGreaterThan(15);
    expect(judgeTiming(entry, processes(4, 5, 0.8)).verdict).toBe('improvement');
  });

  it('never calls a regression when any process ran on a busy machine: unknown, with the load in the note', () => {
    const j = judgeTiming(entry, [...processes(3, 4, 1.2), ...processes(5, 1, 1.2, busy)]);
    expect(j.verdict).toBe('unknown');
    expect(j.morePossible).toBe(false);
    expect(j.note).toMatch(/busy in 1 of 10 processes.*others 1\.70/);
  });

  it('reports, never judges, an entry that is not gated', () => {
    const j = judgeTiming({ ...entry, gated: false, note: 'unstable across processes' }, processes(3, 5, 1.3));
    expect(j.verdict).toBe('unknown');
    expect(j.note).toMatch(/reported, not gated: unstable across processes/);
  });

  it('widens the band with the spread between processes', () => {
    const spread = (s: number) =>
      Array.from({ length: 5 }, (_, i) => ({ ratios: noisy(40 + i, 5, 1 + s * (i - 2), 0.01), contention: quiet }));
    const steady = judgeTiming({ ...entry, processes: spread(0.005) }, spread(0.005));
    const drifting = judgeTiming({ ...entry, processes: spread(0.03) }, spread(0.03));
    expect(drifting.noisePercent).toBeGreaterThan(steady.noisePercent);
  });

  it('does not gate a pair measured on a busy machine or unstable across processes', () => {
    expect(gateability(processes(1, 5, 1)).gated).toBe(true);
    expect(gateability([...processes(1, 4, 1), ...processes(2, 1, 1, busy)]).note).toMatch(/busy machine/);
    const wild = Array.from({ length: 5 }, (_, i) => ({ ratios: [1 + 0.1 * i], contention: quiet }));
    expect(gateability(wild).note).toMatch(/unstable across processes/);
  });

  it('uses Student t quantiles for few processes', () => {
    expect(tQuantile995(8)).toBeCloseTo(3.355, 3);
    expect(tQuantile995(1000)).toBeCloseTo(2.576, 3);
  });
});

describe('timing pairs', () => {
  it('pairs every candidate with its reference and skips what is not there', () => {
    const ids = timingPairs({ kernels: ['js', 'wasm'], strategies: ['batched', 'parallel'], peers: [] }).map((p) => p.id);
    expect(ids).toEqual(['strategy:batched', 'strategy:parallel', 'kernel:wasm', 'scale:js']);
    const threaded = timingPairs({ kernels: ['js'], strategies: ['parallel'], peers: ['hnswlib-node'] }).find(
      (p) => p.id === 'strategy:parallel',
    );
    expect(threaded?.clock).toBe('wall');
  });
});

describe('self-test slowdown syntax', () => {
  it('reads kinds, amounts and targets', () => {
    expect(parseSlowdown('evals:1,kernel:15@batched,scale')).toEqual([
      { kind: 'evals', amount: 1, target: null },
      { kind: 'kernel', amount: 15, target: 'batched' },
      { kind: 'scale', amount: 1, target: null },
    ]);
  });

  it('refuses what it cannot read, so a typo never plants nothing', () => {
    expect(() => parseSlowdown('kernal:15')).toThrow(/cannot read/);
    expect(() => parseSlowdown('insert')).toThrow(/positive amount/);
  });
});

describe('reports', () => {
  const row = (verdict: VerdictRow['verdict']): VerdictRow => ({
    suite: 'deterministic',
    id: `cell/js/distanceEvalsPerInsert-${verdict}`,
    figure: 'distanceEvalsPerInsert',
    subject: 'js · cell',
    baseline: 800,
    now: verdict === 'regression' ? 880 : 800,
    changePercent: verdict === 'regression' ? 10 : 0,
    allowed: '±0.50%',
    verdict,
    note: '',
  });

  it('fails on a regression only (unknown only when asked)', () => {
    expect(gateFails([row('pass'), row('improvement'), row('unknown')])).toBe(false);
    expect(gateFails([row('pass'), row('unknown')], true)).toBe(true);
    expect(gateFails([row('pass'), row('regression')])).toBe(true);
  });

  it('names the figure, the subject, baseline, now and the change in the alarm line and puts regressions first in markdown', () => {
    const rows = [row('pass'), row('regression')];
    expect(alarmLines(rows)).toEqual([
      expect.stringMatching(/^REGRESSION distanceEvalsPerInsert \[js · cell\]: baseline 800 → now 880 \(\+10\.00%, allowed ±0\.50%\)/),
    ]);
    const md = renderMarkdown(rows, 'gate');
    expect(md.indexOf('regression')).toBeLessThan(md.indexOf('✅ pass'));
    expect(md).toContain('| verdict | suite | figure |');
  });
});

describe('self-test judgement of a planted case', () => {
  const row = (suite: VerdictRow['suite'], id: string, figure: string, verdict: VerdictRow['verdict'], note = ''): VerdictRow => ({
    suite,
    id,
    figure,
    subject: id,
    baseline: 1,
    now: 1.2,
    changePercent: 20,
    allowed: '±5%',
    verdict,
    note,
  });
  const batched = { key: 'timing:strategy:batched', required: true };
  const evals = { key: 'deterministic:distanceEvalsPerInsert', required: true };

  it('catches a planted slowdown named right', () => {
    const [j] = judgePlantedCase([row('deterministic', 'a', 'distanceEvalsPerInsert', 'regression')], 1, 'evals:1', [evals]);
    expect(j).toMatchObject({ ok: true, verdictOfExpected: 'regression', changePercent: 20 });
  });

  it('misses it when the figure passed, or when something it cannot move fired (a missing required kernel)', () => {
    expect(judgePlantedCase([row('deterministic', 'a', 'distanceEvalsPerInsert', 'pass')], 0, 'evals:1', [evals])[0]!.ok).toBe(false);
    const withMissing = judgePlantedCase(
      [
        row('deterministic', 'a', 'distanceEvalsPerInsert', 'regression'),
        row('deterministic', 'kernel:native', 'required kernel', 'missing'),
      ],
      1,
      'evals:1',
      [evals],
    )[0]!;
    expect(withMissing.ok).toBe(false);
    expect(withMissing.inconclusive).toBeUndefined();
  });

  it('calls a timing figure the gate declined to judge inconclusive, and a timing pass a miss', () => {
    const noisy = judgePlantedCase(
      [row('timing', 'strategy:batched', 'ratio', 'unknown', 'change beyond tolerance but p=0.02 ≥ 0.01 (5+9 processes)')],
      0,
      'insert:20@batched',
      [batched],
    )[0]!;
    expect(noisy.ok).toBe(false);
    expect(noisy.inconclusive).toMatch(/answered unknown: change beyond tolerance/);
    const passed = judgePlantedCase([row('timing', 'strategy:batched', 'ratio', 'pass')], 0, 'insert:20@batched', [batched])[0]!;
    expect(passed.ok).toBe(false);
    expect(passed.inconclusive).toBeUndefined();
  });
});
