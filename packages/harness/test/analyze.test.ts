import { describe, expect, it } from 'vitest';
import { dimCurves, logLogSlope, scaleCurves, SCHEMA_VERSION, type CellResult } from '../src/index.js';

function cell(n: number, dim: number, seconds: number, evalsPerInsert: number): CellResult {
  return {
    schemaVersion: SCHEMA_VERSION,
    id: `js/batched clustered n=${n} d=${dim}`,
    library: 'hnswlab',
    status: 'ok',
    spec: {
      kernel: 'js',
      strategy: 'batched',
      dataset: 'clustered',
      n,
      dim,
      metric: 'l2',
      M: 16,
      efConstruction: 200,
      ef: [10],
      k: 10,
      threads: 1,
      seed: 1,
      queries: 10,
      repeat: 1,
    },
    build: {
      seconds,
      secondsPerRepeat: [seconds],
      vectorsPerSecond: n / seconds,
      distanceEvalsPerInsert: evalsPerInsert,
      nodesVisitedPerInsert: 1,
      phaseSeconds: null,
      phaseShares: { navigation: 0.1, neighborSearch: 0.6, connectionManagement: 0.2, storage: 0.1 },
      lockWaitSeconds: 0,
    },
    startedAt: '',
    wallSeconds: seconds,
  };
}

describe('scale and dimension curves', () => {
  it('fits the exponent of a power law exactly', () => {
    expect(logLogSlope([1, 10, 100], [3, 300, 30000])).toBeCloseTo(2, 10);
  });

  it('passes n log n growth and flags a quadratic term', () => {
    const sizes = [10_000, 100_000, 1_000_000];
    const healthy = sizes.map((n) => cell(n, 128, n * Math.log(n) * 1e-5, 100 * Math.log(n)));
    const quadratic = sizes.map((n) => ({ ...cell(n, 64, n * n * 1e-9, 100 * Math.log(n)) }));
    const [good] = scaleCurves(healthy);
    expect(good.superlinear).toBe(false);
    expect(good.timeExponent).toBeGreaterThan(1);
    expect(good.timeExponent).toBeLessThan(1.15);
    expect(good.growthVsLogN).toBeCloseTo(1, 6);
    const [bad] = scaleCurves(quadratic);
    expect(bad.superlinear).toBe(true);
    expect(bad.reason).toMatch(/n\^2\.00/);
  });

  it('withdraws a time-only flag when hnswlib-node slows down alike on the same data, and keeps it when it does not', () => {
    const sizes = [10_000, 30_000, 100_000];
    const ours = sizes.map((n) => cell(n, 128, n ** 1.55 * 1e-6, 1500));
    const peer = (exp: number) =>
      sizes.map((n) => ({
        ...cell(n, 128, n ** exp * 1e-6, 0),
        library: 'hnswlib-node' as const,
        spec: { ...cell(n, 128, 1, 0).spec, kernel: 'hnswlib-node', strategy: 'peer' },
        build: { ...cell(n, 128, n ** exp * 1e-6, 0).build!, distanceEvalsPerInsert: null, phaseShares: null },
      }));
    const alike = scaleCurves([...ours, ...peer(1.45)]).find((c) => c.library === 'hnswlab')!;
    expect(alike.superlinear).toBe(false);
    expect(alike.reason).toMatch(/^not flagged: .*hnswlib-node grows alike/);
    const unlike = scaleCurves([...ours, ...peer(1.1)]).find((c) => c.library === 'hnswlab')!;
    expect(unlike.superlinear).toBe(true);
    expect(unlike.reason).toMatch(/hnswlib-node on the same data: time n\^1\.10/);
  });

  it('withdraws a distance-count flag when hnswlib-node slows alike (real data at small n), and never flags a peer', () => {
    const sizes = [5000, 10_000, 20_000];
    // distance evaluations per insert ∝ n^0.3: total ∝ n^1.3 (> 1.25), time alike
    const ours = sizes.map((n) => cell(n, 100, n ** 1.3 * 1e-5, 100 * n ** 0.3));
    const peer = (exp: number) =>
      sizes.map((n) => ({
        ...cell(n, 100, n ** exp * 1e-5, 0),
        library: 'hnswlib-node' as const,
        spec: { ...cell(n, 100, 1, 0).spec, kernel: 'hnswlib-node', strategy: 'peer' },
        build: { ...cell(n, 100, n ** exp * 1e-5, 0).build!, distanceEvalsPerInsert: null, phaseShares: null },
      }));
    const curves = scaleCurves([...ours, ...peer(1.3)]);
    const mine = curves.find((c) => c.library === 'hnswlab')!;
    expect(mine.distanceExponent).toBeCloseTo(1.3, 6);
    expect(mine.superlinear).toBe(false);
    expect(mine.reason).toMatch(/^not flagged: distance evaluations grow as n\^1\.30.*hnswlib-node grows alike/);
    expect(scaleCurves([...ours, ...peer(1.0)]).find((c) => c.library === 'hnswlab')!.superlinear).toBe(true);
    const steep = scaleCurves(peer(2)).find((c) => c.library === 'hnswlib-node')!;
    expect(steep.superlinear).toBe(false);
    expect(steep.reason).toMatch(/^reference, not flagged: build time grows as n\^2\.00/);
  });

  it('builds a dimension curve per series measured at several dimensions', () => {
    const curves = dimCurves([cell(1000, 32, 1, 500), cell(1000, 128, 2, 500), cell(1000, 512, 6, 500), cell(2000, 32, 1, 500)]);
    expect(curves).toHaveLength(1);
    expect(curves[0].points.map((p) => p.dim)).toEqual([32, 128, 512]);
    expect(curves[0].points[0].nanosecondsPerDistance).toBeCloseTo((1 / (1000 * 500)) * 1e9, 6);
    expect(curves[0].points[2].neighborSearchShare).toBe(0.6);
  });
});
