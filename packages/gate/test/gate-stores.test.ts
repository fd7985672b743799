import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { STORES } from '@hnswlab/core';
import { describe, expect, it } from 'vitest';
import {
  DETERMINISTIC_CELLS,
  DETERMINISTIC_FIGURES,
  FIGURE_NAMES,
  gateFails,
  judgeDeterministic,
  runDeterministicSuite,
  type DeterministicBaselineFile,
  type DeterministicMeasurement,
} from '@hnswlab/gate';

const F32_ONLY = pathToFileURL(join(import.meta.dirname, 'fixtures', 'f32-only-kernel.js')).href;
const QUANTISED = STORES.filter((s) => s !== 'f32');
const [first] = DETERMINISTIC_CELLS;

/** A baseline holding `measured` as they are, minus the figures named in `drop`. */
function baselineOf(measured: readonly DeterministicMeasurement[], drop: readonly string[] = []): DeterministicBaselineFile {
  return {
    suite: 'deterministic',
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    command: 'test',
    notes: '',
    entries: measured.map((m) => ({
      id: m.id,
      cell: m.cell,
      kernel: m.kernel,
      kernelName: m.kernelName!,
      spec: m.spec,
      datasetHash: m.datasetHash!,
      figures: Object.fromEntries(
        FIGURE_NAMES.filter((f) => !drop.includes(f)).map((f) => {
          const { label: _, ...rest } = DETERMINISTIC_FIGURES[f];
          return [f, { value: m.figures![f], ...rest }];
        }),
      ),
    })),
  } as unknown as DeterministicBaselineFile;
}

describe('the deterministic suite over the stores', () => {
  it('has one cell per quantised store on the first cell, named after it', () => {
    for (const store of QUANTISED) {
      const c = DETERMINISTIC_CELLS.find((x) => x.name === `${first.name}-${store}`);
      expect(c, store).toBeDefined();
      expect(c!.spec).toEqual({ ...first.spec, store });
    }
    expect(DETERMINISTIC_CELLS.filter((c) => c.spec.store !== undefined)).toHaveLength(QUANTISED.length);
  });

  const storeCells = [first, ...DETERMINISTIC_CELLS.filter((c) => c.spec.store !== undefined)];

  it('measures a store on the kernels that list it, leaves it out on the others, and calls figures without a baseline new', async () => {
    const measured = await runDeterministicSuite(['js', F32_ONLY], storeCells);
    const js = measured.filter((m) => m.kernel === 'js');
    expect(js.map((m) => m.cell)).toEqual(storeCells.map((c) => c.name));
    for (const m of js) expect(m.status, m.reason).toBe('ok');
    // the f32-only kernel runs the f32 cell alone
    expect(measured.filter((m) => m.kernel === F32_ONLY).map((m) => m.cell)).toEqual([first.name]);
    // i8 holds fewer bytes than f32; b1 keeps float32 rows by default, so more
    const bytes = (store: string) => js.find((m) => m.cell === `${first.name}-${store}`)!.figures!.bytesPerVector;
    expect(bytes('i8')).toBeLessThan(js[0].figures!.bytesPerVector);

    // A baseline taken before the store cells existed: every store figure is new, nothing fails.
    const before = judgeDeterministic(baselineOf(measured.filter((m) => m.spec.store === undefined)), measured);
    for (const r of before) {
      if (QUANTISED.some((s) => r.id.startsWith(`${first.name}-${s}/`))) expect(r.verdict, r.id).toBe('new');
      else expect(r.verdict, r.id).toBe('pass');
    }
    expect(gateFails(before)).toBe(false);
    // A baseline entry that lacks a figure (added after it was taken): that figure is new, the rest pass.
    const partial = judgeDeterministic(baselineOf(measured, ['bytesPerVector']), measured);
    for (const r of partial) expect(r.verdict, r.id).toBe(r.figure === 'bytesPerVector' ? 'new' : 'pass');
    expect(gateFails(partial)).toBe(false);
  }, 120_000);
});
