import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AGREEMENT_TOLERANCE_PP, runFlame, type Attribution, type FlameRunResult } from '@hnswlab/flame';
import { loadKernel } from '@hnswlab/harness';

const bin = fileURLToPath(new URL('../bin/hnswlab-flame.js', import.meta.url));
const tmp = (name: string) => mkdtempSync(join(tmpdir(), `flame-${name}-`));
const quiet = () => {};

describe('agreement with the core timers', () => {
  it(`gives the phase shares of the core's own timers within ±${AGREEMENT_TOLERANCE_PP} pp on the same cell`, async () => {
    // The same build measured two ways: wall-clock phase timers inside the core, samples outside it.
    // On a loaded 2-core machine a single run can be thrown by a long deschedule, so a miss is measured
    // once more and both are printed.
    const cell = { kernel: 'js', strategy: 'batched', dataset: 'clustered', n: 4000, dim: 64, queries: 10, ef: [10] };
    let result: FlameRunResult | undefined;
    for (let attempt = 1; attempt <= 2; attempt++) {
      result = await runFlame({ spec: cell, outDir: tmp('agree'), log: quiet });
      const g = result.attribution.agreement!;
      console.log(`[flame] agreement attempt ${attempt}: max |Δ| ${g.maxDeltaPp.toFixed(2)} pp`, JSON.stringify(g.deltasPp));
      if (g.ok) break;
    }
    const a = result!.attribution;
    expect(a.method.inlining).toBe('disabled');
    expect(a.method.nodeFlags).toContain('--no-turbo-inlining');
    expect(a.coreTimers).not.toBeNull();
    for (const [phase, delta] of Object.entries(a.agreement!.deltasPp))
      expect(Math.abs(delta), phase).toBeLessThanOrEqual(AGREEMENT_TOLERANCE_PP);
    // Kernel time must be seen as kernel time, not lost in callers or (program).
    expect(a.buckets.kernel.share).toBeGreaterThan(0.1);
    // The JS kernel's formula (called from toRows, rowToRows, firstNearer) holds the distance work.
    const formula = a.functions.find((f) => f.name === 'L2Probe.distance');
    expect(formula?.selfByBucket.kernel).toBeGreaterThan(0);
  });
});

// Fused kernels at the `insert` boundary: wasm names its functions (WASM_PHASE_FUNCTIONS), the native
// addon has no frames and its time is split by its own phase timers; both must meet the core's timers.
// `layer` (native): the traversal wrapper's methods name their phase (FUSED_METHOD_PHASES).
const fused = await Promise.all(
  (
    [
      ['wasm', 'insert'],
      ['native', 'insert'],
      ['native', 'layer'],
    ] as const
  ).map(async ([kernel, boundary]) => ({
    kernel,
    boundary,
    reason: await loadKernel(kernel).then(
      () => null,
      (err: Error) => err.message,
    ),
  })),
);

describe('agreement with the core timers at fused boundaries', () => {
  for (const { kernel, boundary, reason } of fused) {
    if (reason) {
      it.skip(`skipped: the ${kernel} kernel does not load here: ${reason}`, () => {});
      continue;
    }
    it(`${kernel} at the ${boundary} boundary: phase shares within ±${AGREEMENT_TOLERANCE_PP} pp`, async () => {
      const cell = { kernel, boundary, strategy: 'batched', dataset: 'clustered', n: 4000, dim: 64, queries: 10, ef: [10] };
      let result: FlameRunResult | undefined;
      // A sampling profile on a busy 2-core machine can miss by a few points: three tries, then the verdict.
      for (let attempt = 1; attempt <= 3; attempt++) {
        result = await runFlame({ spec: cell, outDir: tmp(`${kernel}-${boundary}`), log: quiet });
        const g = result.attribution.agreement!;
        console.log(`[flame] ${kernel}@${boundary} attempt ${attempt}: max |Δ| ${g.maxDeltaPp.toFixed(2)} pp`, JSON.stringify(g.deltasPp));
        if (g.ok) break;
      }
      const a = result!.attribution;
      expect(result!.cell.boundary).toBe(boundary);
      for (const [phase, delta] of Object.entries(a.agreement!.deltasPp))
        expect(Math.abs(delta), phase).toBeLessThanOrEqual(AGREEMENT_TOLERANCE_PP);
      expect(a.buckets.kernel.share).toBeGreaterThan(0.5);
      if (kernel === 'native' && boundary === 'insert') expect(a.timerView.fusedInsertMs).toBeGreaterThan(0);
    });
  }
});

describe('hnswlab-flame run --tool cpuprofile (end to end)', () => {
  it('writes the flamegraph, the raw profile, attribution.json and prints the table', async () => {
    const out = tmp('e2e');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        bin,
        'run',
        '--kernel',
        'js',
        '--strategy',
        'sequential',
        '--dim',
        '16',
        '--n',
        '800',
        '--queries',
        '10',
        '--ef',
        '10,20',
        '--tool',
        'cpuprofile',
        '--out',
        out,
      ],
      { maxBuffer: 1 << 24 },
    );
    expect(stdout).toContain('inlining OFF (--no-turbo-inlining)');
    expect(stdout).toContain('top ');
    expect(stdout).toMatch(/kernel \(distance calls\)/);
    const a = JSON.parse(readFileSync(join(out, 'attribution.json'), 'utf8')) as Attribution;
    expect(a.schema).toBe('hnswlab-flame/attribution@1');
    expect(a.units).toBe(800);
    expect(a.cell?.id).toContain('js/sequential');
    expect(a.functions.length).toBeGreaterThan(5);
    expect(readFileSync(join(out, 'phase-flamegraph.html'), 'utf8')).toContain('Searcher.searchLayer');
    expect(existsSync(join(out, 'attribution.txt'))).toBe(true);
    expect(a.profiles[0].file).toMatch(/^profile\/.*\.cpuprofile$/);
    expect(existsSync(join(out, a.profiles[0].file))).toBe(true);
  });

  it('attributes the search phase to navigation, neighbor search and the kernel', async () => {
    const r = await runFlame({
      spec: { kernel: 'js', strategy: 'batched', dim: 16, n: 1000, queries: 50, ef: [10, 40] },
      phase: 'search',
      outDir: tmp('search'),
      log: quiet,
    });
    const a = r.attribution;
    expect(a.unitName).toBe('searches');
    expect(a.units).toBe(r.cell.search!.reduce((s, p) => s + p.passes * 50, 0));
    expect(a.buckets.kernel.ms + a.buckets.neighborSearch.ms).toBeGreaterThan(0);
    expect(a.buckets.connectionManagement.ms).toBe(0);
    expect(a.agreement).toBeNull();
  });

  it('refuses a kernel that cannot load, with its reason', async () => {
    await expect(
      runFlame({ spec: { kernel: './no-such-kernel.js', strategy: 'batched', n: 10 }, outDir: tmp('bad'), log: quiet }),
    ).rejects.toThrow(/cannot be profiled here/);
  });
});
