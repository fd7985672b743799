import {
  caseData,
  compileReference,
  flopsPerDistance,
  formatMarkdown,
  inputChecksum,
  Mulberry32,
  parseCli,
  runKernelBench,
  runReference,
  type KernelBenchReport,
} from '@hnswlab/kernel-bench';
import { describe, expect, it } from 'vitest';

describe('kernel bench', () => {
  it('parses its options: defaults, --quick, limits, and readable errors', () => {
    const full = parseCli([]);
    if ('help' in full) throw new Error('unexpected help');
    expect(full.options.dims).toEqual([32, 64, 128, 256, 384, 512, 768, 1024, 1536]);
    expect(full.options.metrics).toEqual(['l2', 'ip', 'cosine']);
    expect(full.options.sizes).toEqual([32, 1024]);
    expect(full.outDir).toMatch(/bench-out$/);
    const quick = parseCli(['--quick', '--kernels', 'native,js', '--dims', '64', '--out', '/tmp/x']);
    if ('help' in quick) throw new Error('unexpected help');
    expect(quick.options.kernels).toEqual(['native', 'js']);
    expect(quick.options.dims).toEqual([64]);
    expect(quick.options.maxTime).toBeLessThan(full.options.maxTime);
    expect(quick.outDir).toBe('/tmp/x');
    expect(() => parseCli(['--kernels', 'gpu'])).toThrow(/unknown kernel 'gpu'/);
    expect(() => parseCli(['--dims', '0'])).toThrow(/--dims: '0' is not a positive integer/);
    expect(() => parseCli(['--statistic', 'mean'])).toThrow(/not min or median/);
    expect(parseCli(['--help'])).toHaveProperty('help');
  });

  it('counts flops as 3·dim for l2 and 2·dim for dot products', () => {
    expect(flopsPerDistance('l2', 128)).toBe(384);
    expect(flopsPerDistance('ip', 128)).toBe(256);
    expect(flopsPerDistance('cosine', 100)).toBe(200);
  });

  it('builds each case from a seed: a permutation of every row, the same every time', () => {
    const a = caseData({ metric: 'l2', dim: 8, n: 100 }, 5);
    const b = caseData({ metric: 'l2', dim: 8, n: 100 }, 5);
    expect(Array.from(a.ids).sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(a.ids)).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(inputChecksum(a, 8)).toBe(inputChecksum(b, 8));
    for (const x of a.rows) expect(x >= -1 && x < 1).toBe(true);
    // mulberry32(1) as its common one-line JavaScript form gives it (the C++ side is checked by checksum below).
    const rng = new Mulberry32(1);
    expect([rng.next(), rng.next(), rng.next()]).toEqual([2693262067, 11749833, 2265367787]);
  });

  const compiled = (() => {
    try {
      return { ref: compileReference() };
    } catch (err) {
      return { reason: err instanceof Error ? err.message : String(err) };
    }
  })();

  if (!compiled.ref) {
    it.skip(`skipped: the C++ reference cannot be compiled here: ${compiled.reason}`, () => {});
  } else {
    const ref = compiled.ref;
    it('the C++ reference times the same inputs (checksums agree) and reports both loop shapes', () => {
      const cases = [
        { metric: 'l2' as const, dim: 37, n: 16 },
        { metric: 'ip' as const, dim: 128, n: 64 },
      ];
      const timings = runReference(ref, cases, { sampleMs: 0.2, samples: 2, seed: 9, statistic: 'min' });
      expect(timings.map((t) => t.checksum)).toEqual(cases.map((c) => inputChecksum(caseData(c, 9), c.dim)));
      for (const t of timings) {
        expect(['simple', 'lanes']).toContain(t.loop);
        expect(t.samplesNs).toHaveLength(2);
        expect(t.nsPerCall).toBeLessThanOrEqual(t.otherLoopNsPerCall);
      }
    });
  }

  it('runs a tiny matrix end to end: JSON report, markdown, skips with reasons', async () => {
    const lines: string[] = [];
    const report: KernelBenchReport = await runKernelBench({
      kernels: ['js', 'native', 'wasm'],
      metrics: ['l2', 'cosine'],
      dims: [16],
      sizes: [8],
      maxTime: 0.01,
      minCycleTime: 0.001,
      minSamples: 2,
      statistic: 'min',
      reference: true,
      referenceSampleMs: 0.2,
      referenceSamples: 2,
      seed: 1,
      log: (l) => lines.push(l),
    });
    const ran = new Set(report.cells.map((c) => c.key));
    expect(ran.has('js')).toBe(true);
    for (const s of report.skipped) expect(s.reason).toMatch(/\S/);
    expect(ran.size + report.skipped.length).toBe(3);
    expect(report.cells.filter((c) => c.key === 'js').map((c) => c.metric)).toEqual(['l2', 'cosine']);
    for (const c of report.cells) {
      expect(c.nsPerDistance).toBeCloseTo(c.nsPerCall / 8);
      expect(c.gflops).toBeCloseTo((flopsPerDistance(c.metric, 16) * 8) / c.nsPerCall);
    }
    if ('cells' in report.reference) {
      expect(report.reference.cells.every((c) => c.sameInputs)).toBe(true);
      expect(report.cells.every((c) => c.ratioToReference !== undefined)).toBe(true);
    } else {
      console.info(`reference skipped: ${report.reference.skipped}`);
    }
    const md = formatMarkdown(report);
    expect(md).toMatch(/### l2/);
    expect(md).toMatch(/### cosine/);
    expect(md).toMatch(/\| 16 \| 8 \|/);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });
});
