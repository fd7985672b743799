import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKernel } from '@hnswlab/harness';
import { runFlame, toolAvailable, type Tool } from '@hnswlab/flame';

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `flame-${name}-`));
const quiet = () => {};
const tiny = { strategy: 'batched', dim: 32, n: 1500, queries: 10, ef: [10] };

// 0x and clinic each take a few seconds on a tiny cell (one run under the tool, one under --cpu-prof).
describe('flamegraph tools, headless', () => {
  for (const [tool, marker] of [
    ['0x', 'flamegraph'],
    ['clinic', 'clinic'],
  ] as [Tool, string][]) {
    const missing = toolAvailable(tool);
    if (missing) {
      it.skip(`skipped: ${missing}`, () => {});
      continue;
    }
    it(`${tool}: writes its flamegraph HTML beside the attribution, no browser, no terminal`, async () => {
      const r = await runFlame({ spec: { kernel: 'js', ...tiny }, tool, outDir: tmp(tool), log: quiet });
      expect(r.files.flamegraph).toBe(join(r.outDir, 'flamegraph.html'));
      const html = readFileSync(r.files.flamegraph!, 'utf8');
      expect(html.length).toBeGreaterThan(10_000);
      expect(html.toLowerCase()).toContain(marker);
      expect(html, 'the profiled frames are in the page').toContain('searchLayer');
      expect(r.attribution.tool).toBe(tool);
      expect(r.attribution.toolCommand).toContain(tool === '0x' ? '0x' : 'clinic');
      expect(r.attribution.buckets.kernel.ms).toBeGreaterThan(0);
    });
  }
});

// Time inside the wasm module and the native addon must land in the kernel bucket, not "(program)".
const unavailable = async (name: string) =>
  loadKernel(name).then(
    () => null,
    (err: Error) => err.message,
  );
const kernels = [
  ['wasm', await unavailable('wasm')],
  ['native', await unavailable('native')],
] as const;

describe('accelerated kernels are attributed to the kernel', () => {
  for (const [name, reason] of kernels) {
    if (reason) {
      it.skip(`skipped: the ${name} kernel does not load here: ${reason}`, () => {});
      continue;
    }
    it(`${name}: kernel frames carry the distance time`, async () => {
      const r = await runFlame({ spec: { kernel: name, ...tiny }, outDir: tmp(name), log: quiet });
      const a = r.attribution;
      expect(a.buckets.kernel.share).toBeGreaterThan(0.03);
      const program = a.functions.find((f) => f.name === '(program)')?.selfMs ?? 0;
      expect(program).toBeLessThan(a.buckets.kernel.ms);
      if (name === 'wasm') {
        // Wasm functions (the JS/wasm call wrappers, e.g. for the imported clock, are not the module's).
        const wasm = a.functions.filter((f) => f.file.startsWith('wasm://') && !/^(js-to-wasm|wasm-to-js)/.test(f.name));
        expect(wasm.length).toBeGreaterThan(0);
        for (const f of wasm) {
          expect(f.name).toMatch(/^wasm:/);
          // Fused callers (insert<…>) may have no self time at all; what self time there is is the kernel's.
          expect(
            Object.keys(f.selfByBucket).filter((b) => b !== 'kernel'),
            f.name,
          ).toEqual([]);
        }
      }
    });
  }
});
