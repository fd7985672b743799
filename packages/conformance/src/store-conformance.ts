import {
  learnQuantiser,
  listMetrics,
  metricSpec,
  STORES,
  type DistanceKernel,
  type DistanceProbe,
  type Metric,
  type Quantiser,
  type QuantisedSpace,
  type VectorStore,
} from '@hnswlab/core';
import { SeededRandom } from '@hnswlab/datasets';
import { describe, expect, it } from 'vitest';
import { closeToReference, referenceTolerance } from './reference.js';
import { halfValue, referenceCodeDistance, referenceCodes, referenceDecode, storedRow } from './store-reference.js';

type Quantised = Exclude<VectorStore, 'f32'>;

/** Tolerance per store, stated once (see VectorStore in @hnswlab/core's contracts). */
export const STORE_TOLERANCE: Record<Quantised, string> = {
  f16: 'codes bit-exact (round to nearest, ties to even); decode exact; |decode(encode(x)) − x| ≤ 2⁻¹¹·|x| (2⁻²⁵ below 2⁻¹⁴); distances within the metric float32 tolerance over the decoded row',
  i8: 'codes bit-exact; distances bit-exact (integer sums, the contract float64 combination); |decode(encode(x)) − x| ≤ scale/2 unless clamped',
  b1: 'codes bit-exact (x > centre); Hamming distances exact; decoded components on the side of the centre their bit says',
};

const DIMS = [1, 3, 7, 8, 15, 16, 17, 31, 32, 33, 100, 128, 384];

function randomRows(rng: SeededRandom, n: number, dim: number, scale = 1, shift = 0): Float32Array {
  const v = new Float32Array(n * dim);
  for (let i = 0; i < v.length; i++) v[i] = rng.normal() * scale + shift * ((i % dim) % 3);
  return v;
}

/**
 * The quantised stores' formulas (VectorStore in contracts.ts) are written for l2, ip and cosine; a
 * metric registered since is a float32-store metric, checked by kernelConformance.
 */
const CODE_METRICS: readonly Metric[] = ['l2', 'ip', 'cosine'];

function metrics(kernel: DistanceKernel): Metric[] {
  return listMetrics().filter((m) => kernel.metrics.includes(m) && CODE_METRICS.includes(m));
}

function quantiserFor(store: Quantised, rows: Float32Array, dim: number, metric: Metric): Quantiser | undefined {
  return store === 'f16' ? undefined : learnQuantiser(rows, { dim, store, metric });
}

function create(
  kernel: DistanceKernel,
  store: Quantised,
  dim: number,
  metric: Metric,
  capacity: number,
  keep: boolean,
  q?: Quantiser,
): QuantisedSpace {
  return kernel.createSpace({ dim, metric, capacity, store, keepFullPrecision: keep, quantiser: q }) as QuantisedSpace;
}

/** Each stored row's float32 values as the space stores them (normalised under cosine). */
function stored(metric: Metric, rows: Float32Array, n: number, dim: number): Float32Array[] {
  return Array.from({ length: n }, (_, r) => storedRow(metric, rows.subarray(r * dim, (r + 1) * dim)));
}

/** Every distance in out[0..count) against the store's reference from `query` (codes `qa`, floats `qf`); returns the failures. */
function mismatches(
  store: Quantised,
  metric: Metric,
  space: QuantisedSpace,
  qa: Uint8Array,
  qf: Float32Array,
  rows: number[],
  out: ArrayLike<number>,
  q: Quantiser | null,
): string[] {
  const bad: string[] = [];
  const dim = space.dim;
  rows.forEach((row, i) => {
    const b = space.codes(row, 1);
    const want = referenceCodeDistance(store, metric, qa, b, dim, q, qf);
    if (store === 'f16') {
      const decoded = referenceDecode('f16', b, dim, null);
      if (!closeToReference(out[i], want, referenceTolerance(metric, qf, decoded)))
        bad.push(`row ${row}: got ${out[i]}, reference ${want}`);
    } else if (!Object.is(out[i], want)) bad.push(`row ${row}: got ${out[i]}, exactly ${want} expected`);
  });
  return bad;
}

function run(probe: DistanceProbe, rows: number[]): number[] {
  probe.ids.set(rows);
  probe.toRows(rows.length);
  return Array.from(probe.out.subarray(0, rows.length));
}

/**
 * The conformance of every quantised store the kernel lists (`kernel.stores`): codes bit-exact to the
 * reference encoder, distances exact (i8, b1) or within the metric's tolerance over the decoded rows
 * (f16), the quantisation error bounded, clamping counted and never wrapped, exact probes over kept
 * float32 rows, codes that load (writeCodes) and move (copyRow) with their derived terms, growth,
 * attached spaces; and a clear refusal of the stores it does not list.
 */
export function storeConformance(kernel: DistanceKernel): void {
  const listed = kernel.stores ?? ['f32'];
  for (const store of STORES) {
    if (store === 'f32') continue;
    if (!listed.includes(store)) {
      it(`${store}: not listed, so createSpace refuses it with a clear error`, () => {
        expect(() => kernel.createSpace({ dim: 4, metric: 'l2', capacity: 4, store })).toThrow(new RegExp(`store '${store}'`));
      });
      continue;
    }
    describe(`store ${store} (${STORE_TOLERANCE[store]})`, () => {
      for (const metric of metrics(kernel)) {
        it(`${metric}: codes and distances match the reference for dims ${DIMS.join(', ')}`, () => {
          for (const dim of DIMS) {
            const rng = new SeededRandom(dim * 13 + metric.length + store.length);
            const n = 40;
            const rows = randomRows(rng, n, dim, 2, 0.5);
            const q = quantiserFor(store, rows, dim, metric);
            const space = create(kernel, store, dim, metric, 4, true, q);
            space.reserve(n);
            space.write(0, rows, n);
            const quant = space.quantiser;
            if (q) expect(Array.from(quant!.centre)).toEqual(Array.from(q.centre));
            const floats = stored(metric, rows, n, dim);
            for (let r = 0; r < n; r++) {
              const want = referenceCodes(store, floats[r], quant);
              expect(Array.from(space.codes(r, 1)), `${store} ${metric} dim ${dim} row ${r} codes`).toEqual(Array.from(want.bytes));
              expect(Array.from(space.read(r)), 'kept float32 row').toEqual(Array.from(floats[r]));
            }
            expect(space.clamped, 'rows the quantiser was learned from never clamp').toBe(0);
            const probe = space.createProbe(n);
            const ids = Array.from({ length: n - 1 }, (_, i) => i + 1);
            probe.setQueryRow(0);
            const out = run(probe, ids);
            const what = `${kernel.name} ${store} ${metric} dim ${dim}`;
            expect(
              mismatches(store, metric, space, space.codes(0, 1), referenceDecode(store, space.codes(0, 1), dim, quant), ids, out, quant),
              what,
            ).toEqual([]);
            for (const r of [1, 17, n - 1])
              expect(Object.is(probe.toRow(r), out[r - 1]), `${what}: toRow(${r}) = out[${r - 1}]`).toBe(true);
            // An outside query: encoded by the reference as the kernel must (f16 keeps it float32).
            const raw = randomRows(rng, 1, dim, 2, 0.5);
            probe.setQuery(raw);
            const fromOutside = run(probe, ids);
            const outside = storedRow(metric, raw);
            const qa = referenceCodes(store, outside, quant).bytes;
            expect(mismatches(store, metric, space, qa, outside, ids, fromOutside, quant), `${what} outside query`).toEqual([]);
            // rowToRows and firstNearer: the stored row's distances, the query left as it was.
            probe.ids.set(ids);
            probe.rowToRows(0, ids.length);
            expect(Array.from(probe.out.subarray(0, ids.length)), `${what} rowToRows`).toEqual(out);
            const sorted = [...out].sort((a, b) => a - b);
            for (const bound of [sorted[0], sorted[5], sorted[5] + 1e-3, sorted[ids.length - 1] + 1, -Infinity]) {
              const expected = out.findIndex((d) => d < bound);
              expect(probe.firstNearer(0, ids.length, bound), `${what} firstNearer < ${bound}`).toBe(expected < 0 ? ids.length : expected);
            }
            expect(run(probe, ids), `${what}: the query is unchanged`).toEqual(fromOutside);
            space.dispose();
          }
        });
      }

      it('edge values: ties round to even, extremes clamp; i8 with large centres stays exact', () => {
        // Components at the midpoints between codes, at the range's ends and beyond, signed zeros.
        const edges: number[] =
          store === 'f16'
            ? [
                1 + 2 ** -11,
                1 + 3 * 2 ** -11,
                -(1 + 2 ** -11),
                2 ** -25,
                3 * 2 ** -25,
                -(2 ** -25),
                2 ** -14 - 2 ** -25,
                65504,
                65519,
                65520,
                -1e9,
                0,
                -0,
                2048 + 1,
                2048 + 3,
              ]
            : [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 126.5, 127.5, -127.5, 128, -300, 0, -0, 0.49999997, 3.0000002];
        const dim = edges.length;
        const q: Quantiser | undefined = store === 'f16' ? undefined : { centre: new Float32Array(dim), scale: 1 };
        for (const metric of metrics(kernel).filter((m) => !metricSpec(m).normalise)) {
          const space = create(kernel, store, dim, metric, 4, false, q);
          const row = Float32Array.from(edges);
          space.write(0, row);
          space.write(
            1,
            row.map((x) => -x),
          );
          const want = referenceCodes(store, row, q ?? null);
          expect(Array.from(space.codes(0, 1)), `${store} edge codes`).toEqual(Array.from(want.bytes));
          expect(space.clamped).toBe(want.clamped ? 2 : 0);
          space.dispose();
        }
        if (store !== 'i8') return;
        // Large centres and a fine scale: the float64 terms are large beside the integer part.
        const big = 64,
          n = 60;
        const centre = Float32Array.from({ length: big }, (_, j) => 3000 * ((j % 5) - 2) + 0.37 * j);
        const cq: Quantiser = { centre, scale: 0.0078125 };
        const rng = new SeededRandom(77);
        const rows = new Float32Array(n * big).map((_, i) => centre[i % big] + rng.normal() * 0.3);
        for (const metric of metrics(kernel).filter((m) => !metricSpec(m).normalise)) {
          const space = create(kernel, 'i8', big, metric, n, false, cq);
          space.write(0, rows, n);
          const probe = space.createProbe(n);
          const ids = Array.from({ length: n }, (_, i) => i);
          for (let r = 0; r < n; r++) {
            probe.setQueryRow(r);
            const out = run(probe, ids);
            expect(
              mismatches('i8', metric, space, space.codes(r, 1), new Float32Array(big), ids, out, cq),
              `i8 ${metric} large centres, row ${r}`,
            ).toEqual([]);
          }
          space.dispose();
        }
      });

      it('the quantisation error is bounded, and out-of-range components are clamped and counted, never wrapped', () => {
        for (const dim of [5, 64, 100]) {
          const rng = new SeededRandom(dim + 7);
          const n = 50;
          const rows = randomRows(rng, n, dim, 3, 1);
          const q = quantiserFor(store, rows.subarray(0, 20 * dim), dim, 'l2');
          const space = create(kernel, store, dim, 'l2', n + 2, false, q);
          space.write(0, rows, n);
          let clamped = 0;
          for (let r = 0; r < n; r++) {
            const x = rows.subarray(r * dim, (r + 1) * dim);
            const decoded = space.read(r);
            const want = referenceCodes(store, x, q ?? null);
            if (want.clamped) clamped++;
            for (let j = 0; j < dim; j++) {
              const err = Math.abs(decoded[j] - x[j]);
              if (store === 'f16')
                expect(err, `f16 row ${r} component ${j}`).toBeLessThanOrEqual(Math.max(2 ** -11 * Math.abs(x[j]), 2 ** -25));
              else if (store === 'b1') expect(decoded[j] > q!.centre[j], `b1 row ${r} component ${j}`).toBe(x[j] > q!.centre[j]);
              else {
                const t = (x[j] - q!.centre[j]) / q!.scale;
                if (Math.abs(t) < 127.5) {
                  expect(err, `i8 row ${r} component ${j}`).toBeLessThanOrEqual((q!.scale / 2) * (1 + 1e-6) + Math.abs(x[j]) * 2 ** -23);
                } else expect(Math.sign(decoded[j] - q!.centre[j]), `i8 row ${r} component ${j} clamped, not wrapped`).toBe(Math.sign(t));
              }
            }
          }
          expect(space.clamped, `${store} dim ${dim}: clamped rows counted`).toBe(clamped);
          if (store === 'i8') expect(clamped, 'the sample leaves later rows out of range').toBeGreaterThan(0);
          // Far out of range: the extreme code, with the component's sign.
          const far = new Float32Array(dim).map((_, j) => (j % 2 ? 1e6 : -1e6));
          const before = space.clamped;
          space.write(n, far);
          const codes = space.codes(n, 1);
          if (store === 'i8')
            for (let j = 0; j < dim; j++) expect(new Int8Array(codes.buffer, codes.byteOffset, dim)[j]).toBe(j % 2 ? 127 : -127);
          if (store === 'f16')
            for (let j = 0; j < dim; j++) expect(halfValue(codes[2 * j] | (codes[2 * j + 1] << 8))).toBe(j % 2 ? 65504 : -65504);
          expect(space.clamped - before).toBe(store === 'b1' ? 0 : 1);
          space.dispose();
        }
      });

      it('exact probes read the kept float32 rows; without them, an exact probe is a clear error', () => {
        for (const metric of metrics(kernel)) {
          const dim = 33,
            n = 30;
          const rows = randomRows(new SeededRandom(3), n, dim);
          const q = quantiserFor(store, rows, dim, metric);
          const kept = create(kernel, store, dim, metric, n, true, q);
          kept.write(0, rows, n);
          const probe = kept.createProbe(n, { exact: true });
          const query = randomRows(new SeededRandom(4), 1, dim);
          probe.setQuery(query);
          const ids = Array.from({ length: n }, (_, i) => i);
          const out = run(probe, ids);
          const sq = storedRow(metric, query);
          const spec = metricSpec(metric);
          ids.forEach((r) => {
            const row = kept.read(r);
            expect(
              closeToReference(out[r], spec.reference(sq, row), referenceTolerance(metric, sq, row)),
              `${store} ${metric} exact row ${r}`,
            ).toBe(true);
          });
          kept.dispose();
          const bare = create(kernel, store, dim, metric, n, false, q);
          expect(() => bare.createProbe(4, { exact: true })).toThrow(/float32 rows|keepFullPrecision/);
          expect(() => bare.rows(0, 1)).toThrow(/float32 rows|keepFullPrecision/);
          bare.dispose();
        }
      });

      it('codes written back (writeCodes) and moved (copyRow) keep their distances', () => {
        for (const metric of metrics(kernel)) {
          const dim = 37,
            n = 24;
          const rows = randomRows(new SeededRandom(8), n, dim, 1.5, 0.3);
          const q = quantiserFor(store, rows, dim, metric);
          const a = create(kernel, store, dim, metric, n, false, q);
          a.write(0, rows, n);
          const b = create(kernel, store, dim, metric, 2, false, q);
          b.reserve(n);
          b.writeCodes(0, a.codes(0, n).slice(), n);
          const pa = a.createProbe(n),
            pb = b.createProbe(n);
          const ids = Array.from({ length: n }, (_, i) => i);
          for (const r of [0, 5, n - 1]) {
            pa.setQueryRow(r);
            pb.setQueryRow(r);
            expect(run(pb, ids), `${store} ${metric}: loaded codes, query row ${r}`).toEqual(run(pa, ids));
          }
          const query = randomRows(new SeededRandom(9), 1, dim);
          pa.setQuery(query);
          const before = run(pa, ids);
          a.copyRow(5, 2);
          expect(Array.from(a.codes(2, 1))).toEqual(Array.from(a.codes(5, 1)));
          expect(Array.from(a.read(2))).toEqual(Array.from(a.read(5)));
          const after = run(pa, ids);
          expect(after[2]).toBe(before[5]);
          a.dispose();
          b.dispose();
        }
      });

      it('a space grown across many steps keeps every code; probes follow the growth; an attached space answers the same', () => {
        const dim = 24,
          total = 2000;
        const rows = randomRows(new SeededRandom(11), total, dim);
        const q = quantiserFor(store, rows.subarray(0, 100 * dim), dim, 'l2');
        const space = create(kernel, store, dim, 'l2', 1, true, q);
        const probe = space.createProbe(64);
        let growths = 0;
        for (let r = 0; r < total; r++) {
          const cap = space.capacity;
          space.reserve(r + 1);
          if (space.capacity !== cap) growths++;
          space.write(r, rows, 1, r * dim);
          if (r === 0) probe.setQueryRow(0);
          if (r % 97 === 0 && r > 0) {
            // The query (row 0) is still row 0 after a growth.
            const ids = Array.from({ length: Math.min(64, r + 1) }, (_, i) => r - i);
            const out = run(probe, ids);
            const qa = space.codes(0, 1);
            expect(mismatches(store, 'l2', space, qa, referenceDecode(store, qa, dim, space.quantiser), ids, out, space.quantiser)).toEqual(
              [],
            );
          }
        }
        expect(growths).toBeGreaterThan(10);
        for (let r = 0; r < total; r += 7) {
          expect(Array.from(space.codes(r, 1))).toEqual(
            Array.from(referenceCodes(store, rows.subarray(r * dim, (r + 1) * dim), space.quantiser).bytes),
          );
        }
        const attached = kernel.attachSpace(structuredClone(space.handle())) as QuantisedSpace;
        const a = space.createProbe(99),
          b = attached.createProbe(99);
        a.setQueryRow(3);
        b.setQueryRow(3);
        const ids = Array.from({ length: 99 }, (_, i) => i * 20);
        expect(run(b, ids)).toEqual(run(a, ids));
        const ea = space.createProbe(99, { exact: true }),
          eb = attached.createProbe(99, { exact: true });
        ea.setQuery(rows.subarray(0, dim));
        eb.setQuery(rows.subarray(0, dim));
        expect(run(eb, ids)).toEqual(run(ea, ids));
        expect(() => attached.reserve(space.capacity + 1)).toThrow();
        space.dispose();
      });

      if (store !== 'f16') {
        it('the quantiser is set once, before the first write', () => {
          const rows = randomRows(new SeededRandom(2), 10, 8);
          const q = learnQuantiser(rows, { dim: 8, store });
          const space = create(kernel, store, 8, 'l2', 10, false);
          expect(space.quantiser).toBeNull();
          expect(() => space.write(0, rows, 10)).toThrow(/quantiser/);
          space.setQuantiser(q);
          expect(() => space.setQuantiser(q)).toThrow(/quantiser/);
          space.write(0, rows, 10);
          expect(space.quantiser!.scale).toBe(q.scale);
          space.dispose();
        });
      } else {
        it('f16 takes no quantiser', () => {
          const space = create(kernel, store, 8, 'l2', 10, false);
          expect(space.quantiser).toBeNull();
          expect(() => space.setQuantiser({ centre: new Float32Array(8), scale: 1 })).toThrow(/quantiser/);
          space.dispose();
        });
      }
    });
  }
}
