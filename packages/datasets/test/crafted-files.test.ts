import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FileFormatError, readAnnHdf5, readBvecs, readFvecs, readGloveMatrix, readIvecs, readNpy } from '../src/index.js';
import { CASE_BYTES, CASE_MS, bounded } from './crafted/bounded.js';
import { makeCorpus, type CraftedCase, type Reader } from './crafted/corpus.js';

// Seeded: the same files on every run. HNSWLAB_CORPUS_SEED picks another corpus, HNSWLAB_CORPUS_FLIPS more random-damage cases per reader.
const SEED = Number(process.env.HNSWLAB_CORPUS_SEED ?? 20_250_610);
const FLIPS = Number(process.env.HNSWLAB_CORPUS_FLIPS ?? 40);

// HDF5 loops forever on some damaged files: the reader stops its worker after this (30 s by default).
const HDF5_TIMEOUT_MS = 1000;

interface Read {
  rows: number;
  /** What a successful read must satisfy whatever the file was: consistent lengths, finite values, ids in range. */
  problem?: string;
}

const consistent = (data: Float32Array, rows: number, dim: number, total: number): string | undefined => {
  if (!(dim >= 1 && rows >= 1 && total >= rows)) return `rows ${rows}, dim ${dim}, total ${total}`;
  if (data.length !== rows * dim) return `length ${data.length} for ${rows} × ${dim}`;
  if (data.some((v) => !Number.isFinite(v))) return 'a non-finite value';
  return undefined;
};

let caseDir: string;
const READERS: Record<Reader, (file: string) => Read | Promise<Read>> = {
  fvecs: (f) => vecs(readFvecs(f)),
  bvecs: (f) => vecs(readBvecs(f)),
  ivecs: (f) => {
    const m = readIvecs(f);
    return { rows: m.rows, problem: m.data.length === m.rows * m.dim && m.rows >= 1 ? undefined : `length ${m.data.length}` };
  },
  npy: (f) => vecs(readNpy(f)),
  hdf5: async (f) => {
    const h = await readAnnHdf5(f, Infinity, Infinity, { timeoutMs: HDF5_TIMEOUT_MS });
    const problem =
      consistent(h.train, h.trainRows, h.dim, h.totalTrainRows) ??
      consistent(h.test, h.testRows, h.dim, h.testRows) ??
      (h.neighbors && !(h.neighbors.length === h.testRows * h.neighborsK! && h.neighbors.every((id) => id >= 0 && id < h.totalTrainRows))
        ? 'neighbour ids out of range'
        : undefined);
    return { rows: h.trainRows, problem };
  },
  glove: (f) => {
    // a cache of its own per case: readGloveMatrix writes one after a successful parse
    process.env.HNSWLAB_CACHE = mkdtempSync(join(caseDir, 'cache-'));
    const m = readGloveMatrix(f, { warn: () => {} });
    return { rows: m.rows, problem: consistent(m.data, m.rows, 100, m.rows) };
  },
};

function vecs(m: { data: Float32Array; rows: number; dim: number; totalRows: number }): Read {
  return { rows: m.rows, problem: consistent(m.data, m.rows, m.dim, m.totalRows) };
}

/** Why a case's outcome is wrong (undefined when it is right), and whether the reader refused the file. */
async function judge(c: CraftedCase, file: string): Promise<{ wrong?: string; threw: boolean }> {
  const r = await bounded(() => READERS[c.reader](file));
  const threw = r.error !== undefined;
  return { wrong: verdict(c, file, r), threw };
}

function verdict(c: CraftedCase, file: string, r: Awaited<ReturnType<typeof bounded<Read>>>): string | undefined {
  if (r.ms > CASE_MS) return `took ${Math.round(r.ms)} ms (bound ${CASE_MS})`;
  if (r.bytes > CASE_BYTES) return `grew memory by ${(r.bytes / 2 ** 20).toFixed(1)} MiB (bound ${CASE_BYTES / 2 ** 20})`;
  if (r.error !== undefined) {
    const e = r.error;
    if (!(e instanceof FileFormatError))
      return `threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}, not a FileFormatError`;
    if (e.file !== file || !e.message.startsWith(`${file}: `)) return `error does not name the file: ${e.message}`;
    if (!e.found || !e.expected) return `error does not say what it found and expected: ${e.message}`;
    if (c.expect === 'either') return undefined;
    if ('rows' in c.expect) return `expected ${c.expect.rows} rows, got: ${e.message}`;
    return c.expect.field.test(e.field) ? undefined : `field '${e.field}' does not match ${c.expect.field}: ${e.message}`;
  }
  const read = r.value!;
  if (read.problem) return `read a damaged result: ${read.problem}`;
  if (c.expect === 'either') return undefined;
  if ('field' in c.expect) return `read ${read.rows} rows; expected an error on ${c.expect.field}`;
  return read.rows === c.expect.rows ? undefined : `read ${read.rows} rows; expected ${c.expect.rows}`;
}

let corpus: CraftedCase[];
const outcomes = new Map<Reader, { cases: number; errors: number; named: number }>();

beforeAll(async () => {
  caseDir = mkdtempSync(join(tmpdir(), 'hnswlab-crafted-'));
  mkdirSync(join(caseDir, 'make'));
  corpus = await makeCorpus(SEED, join(caseDir, 'make'), FLIPS);
  // h5wasm grows its memory once on first use: not a case's cost
  await readAnnHdf5(writeCase(corpus.find((c) => c.name === 'hdf5/valid')!));
});

let written = 0;
function writeCase(c: CraftedCase): string {
  const file = join(caseDir, `${written++}-${c.name.replace(/[^\w.-]+/g, '_')}.${c.reader === 'glove' ? 'json' : c.reader}`);
  writeFileSync(file, c.bytes);
  return file;
}

describe('the crafted-file corpus: every case a clear error (file, field, found, expected) or a valid read, within 2 s and 64 MiB', () => {
  for (const reader of ['fvecs', 'bvecs', 'ivecs', 'npy', 'hdf5', 'glove'] as const) {
    it(`${reader}`, async () => {
      const failures: string[] = [];
      const cases = corpus.filter((c) => c.reader === reader);
      let errors = 0;
      let named = 0;
      for (const c of cases) {
        const file = writeCase(c);
        const { wrong, threw } = await judge(c, file);
        if (wrong) failures.push(`${c.name}: ${wrong}`);
        if (threw) errors++;
        if (c.expect !== 'either' && 'field' in c.expect) named++;
      }
      outcomes.set(reader, { cases: cases.length, errors, named });
      expect(failures).toEqual([]);
      expect(cases.length).toBeGreaterThan(20);
    });
  }

  it('ran every case', () => {
    const total = corpus.length;
    const sum = (f: (o: { cases: number; errors: number; named: number }) => number) =>
      [...outcomes.values()].reduce((a, o) => a + f(o), 0);
    console.info(
      `[crafted-files] seed ${SEED}: ${total} cases (${[...outcomes].map(([r, o]) => `${r} ${o.cases}`).join(', ')}); ` +
        `${sum((o) => o.errors)} refused with a FileFormatError (${sum((o) => o.named)} with the field asserted), ${total - sum((o) => o.errors)} read as valid files`,
    );
    expect([...outcomes.values()].reduce((a, o) => a + o.cases, 0)).toBe(total);
  });
});
