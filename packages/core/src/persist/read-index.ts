import { crc32 } from 'node:zlib';
import { checkGraph } from '../check.js';
import type { Boundary, DistanceKernel, Quantiser } from '../contracts.js';
import { IndexState } from '../index-state.js';
import { H_COUNT, H_DELETED, H_ENTRY, H_MAX_LEVEL, H_UPPER_USED, MAX_LEVEL, strides } from '../layout.js';
import { metricSpec } from '../metrics/registry.js';
import { STORES } from '../names.js';
import { checkQuantiser } from '../stores/quantiser.js';
import { kernelStore, storeSpec } from '../stores/store-spec.js';
import {
  ALIGN,
  FORMAT_VERSION,
  HEADER_BYTES,
  IndexFileError,
  MAGIC,
  MAX_SECTIONS,
  QUANTISED_VERSION,
  SECTIONS,
  storeSections,
  TABLE_ENTRY_BYTES,
  type IndexMeta,
  type SectionName,
} from './format.js';
import { headerChecksum } from './write-index.js';

/** Where the file's bytes come from: a buffer, or a file read in pieces (never more than a section at once). */
export interface ByteSource {
  readonly size: number;
  /** Fill `into` from `offset`; throws if the bytes are not there. */
  read(offset: number, into: Uint8Array): void;
}

export function bufferSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.byteLength,
    read(offset, into) {
      if (offset + into.byteLength > bytes.byteLength)
        throw new IndexFileError('file', `truncated: needs byte ${offset + into.byteLength}, has ${bytes.byteLength}`);
      into.set(bytes.subarray(offset, offset + into.byteLength));
    },
  };
}

export interface LoadOptions {
  readonly kernel: DistanceKernel;
  readonly boundary?: Boundary;
  readonly timing?: boolean;
}

interface Entry {
  readonly name: SectionName;
  readonly offset: number;
  readonly length: number;
  readonly crc: number;
}

const MAX_META_BYTES = 1 << 16;

function fail(section: string, message: string): never {
  throw new IndexFileError(section, message);
}

/**
 * The header and section table: every offset, length and name checked against the file before
 * anything is allocated (which sections the file must have is checked once `meta` says its store).
 */
function readTable(source: ByteSource): { version: number; entries: Map<SectionName, Entry> } {
  if (source.size < HEADER_BYTES) fail('header', `the file has ${source.size} bytes; an index file has at least ${HEADER_BYTES}`);
  const header = new Uint8Array(HEADER_BYTES);
  source.read(0, header);
  const view = new DataView(header.buffer);
  if (new TextDecoder().decode(header.subarray(0, 8)) !== MAGIC) fail('header', 'not an hnswlab index file (wrong magic)');
  const version = view.getUint32(8, true);
  if (version !== FORMAT_VERSION && version !== QUANTISED_VERSION)
    fail(
      'header',
      `format version ${version}; this reader reads versions ${FORMAT_VERSION} and ${QUANTISED_VERSION}${version > QUANTISED_VERSION ? ' (the file is newer: upgrade @hnswlab/core)' : ''}`,
    );
  const n = view.getUint32(12, true);
  if (n < 1 || n > MAX_SECTIONS) fail('header', `${n} sections (at most ${MAX_SECTIONS})`);
  const total = Number(view.getBigUint64(16, true));
  if (total !== source.size) fail('header', `says the file has ${total} bytes; it has ${source.size} (truncated or padded)`);
  const tableEnd = HEADER_BYTES + n * TABLE_ENTRY_BYTES;
  if (tableEnd > source.size) fail('section table', `${n} entries do not fit in ${source.size} bytes`);
  const head = new Uint8Array(tableEnd);
  source.read(0, head);
  if (headerChecksum(head) !== view.getUint32(24, true)) fail('header', 'checksum mismatch (the header or section table is damaged)');
  const table = new DataView(head.buffer);
  const entries = new Map<SectionName, Entry>();
  for (let i = 0; i < n; i++) {
    const e = HEADER_BYTES + i * TABLE_ENTRY_BYTES;
    const name = new TextDecoder().decode(head.subarray(e, e + 8)).replace(/\0+$/, '') as SectionName;
    if (!SECTIONS.includes(name)) fail('section table', `unknown section '${name.replace(/[^\x20-\x7e]/g, '?')}'`);
    if (entries.has(name)) fail('section table', `section '${name}' appears twice`);
    const offset = Number(table.getBigUint64(e + 8, true));
    const length = Number(table.getBigUint64(e + 16, true));
    if (offset % ALIGN !== 0 || offset < tableEnd || offset + length > source.size) {
      fail(name, `offset ${offset} and length ${length} do not lie aligned within the file (${source.size} bytes)`);
    }
    entries.set(name, { name, offset, length, crc: table.getUint32(e + 24, true) });
  }
  if (!entries.has('meta')) fail('section table', "section 'meta' is missing");
  const sorted = [...entries.values()].sort((a, b) => a.offset - b.offset);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i - 1].offset + sorted[i - 1].length > sorted[i].offset) fail(sorted[i].name, `overlaps section '${sorted[i - 1].name}'`);
  }
  // The gaps (alignment padding) must be zero: no byte of the file goes unchecked.
  let at = tableEnd;
  for (const e of [...sorted, { name: 'end', offset: source.size, length: 0 }]) {
    if (e.offset - at > ALIGN) fail(e.name, `starts ${e.offset - at} bytes after the previous section (padding is under ${ALIGN})`);
    const gap = new Uint8Array(e.offset - at);
    source.read(at, gap);
    if (gap.some((b) => b !== 0)) fail(e.name, 'the padding before it is not zero (the file is damaged)');
    at = e.offset + e.length;
  }
  return { version, entries };
}

/** Read a section into `into` (its exact length) and check its checksum. */
function readSection(source: ByteSource, entry: Entry, into: Uint8Array): void {
  if (into.byteLength !== entry.length) fail(entry.name, `has ${entry.length} bytes; the index it describes needs ${into.byteLength}`);
  source.read(entry.offset, into);
  if (crc32(into) !== entry.crc) fail(entry.name, 'checksum mismatch (the section is damaged)');
}

function int(meta: Record<string, unknown>, key: string, min: number, max: number): number {
  const v = meta[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    fail('meta', `${key} is ${JSON.stringify(v)}; expected an integer in [${min}, ${max}]`);
  return v;
}

function readMeta(source: ByteSource, entry: Entry, version: number): IndexMeta {
  if (entry.length > MAX_META_BYTES) fail('meta', `${entry.length} bytes (at most ${MAX_META_BYTES})`);
  const raw = new Uint8Array(entry.length);
  readSection(source, entry, raw);
  let m: Record<string, unknown>;
  try {
    m = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw)) as Record<string, unknown>;
  } catch (err) {
    fail('meta', `not JSON (${(err as Error).message})`);
  }
  if (typeof m !== 'object' || m === null) fail('meta', 'not a JSON object');
  if (!STORES.includes(m.store as never)) fail('meta', `store ${JSON.stringify(m.store)}; this reader reads ${STORES.join(', ')}`);
  const store = m.store as IndexMeta['store'];
  if ((store === 'f32') !== (version === FORMAT_VERSION)) {
    fail(
      'meta',
      `store '${store}' in a version ${version} file (f32 files are version ${FORMAT_VERSION}, quantised ones ${QUANTISED_VERSION})`,
    );
  }
  if (store !== 'f32' && typeof m.keepFullPrecision !== 'boolean')
    fail('meta', `keepFullPrecision is ${JSON.stringify(m.keepFullPrecision)}; expected a boolean`);
  const quantised = storeSpec(store).quantised;
  if (quantised && typeof m.quantiser !== 'boolean') fail('meta', `quantiser is ${JSON.stringify(m.quantiser)}; expected a boolean`);
  if (typeof m.metric !== 'string') fail('meta', 'metric is not a string');
  const count = int(m, 'count', 0, 2 ** 31 - 1);
  const meta: IndexMeta = {
    dim: int(m, 'dim', 1, 1 << 20),
    metric: m.metric,
    M: int(m, 'M', 2, 127),
    efConstruction: int(m, 'efConstruction', 1, 1 << 24),
    efSearch: int(m, 'efSearch', 1, 1 << 24),
    seed: int(m, 'seed', 0, Number.MAX_SAFE_INTEGER),
    count,
    live: int(m, 'live', 0, count),
    tombstones: int(m, 'tombstones', 0, count),
    nextId: int(m, 'nextId', 0, 2 ** 32),
    rngState: int(m, 'rngState', 0, 0xffffffff),
    entry: int(m, 'entry', -1, count - 1),
    maxLevel: int(m, 'maxLevel', -1, MAX_LEVEL),
    upperUsed: int(m, 'upperUsed', 0, 2 ** 31 - 1),
    store,
    ...(store === 'f32'
      ? {}
      : { keepFullPrecision: m.keepFullPrecision as boolean, clamped: int(m, 'clamped', 0, Number.MAX_SAFE_INTEGER) }),
    ...(quantised ? { quantiser: m.quantiser as boolean } : {}),
    writtenBy: typeof m.writtenBy === 'string' ? m.writtenBy : 'unknown',
  };
  if (meta.live + meta.tombstones !== count) fail('meta', `live (${meta.live}) + tombstones (${meta.tombstones}) ≠ count (${count})`);
  if ((count === 0) !== (meta.entry === -1) || (meta.entry === -1) !== (meta.maxLevel === -1)) {
    fail('meta', `entry ${meta.entry} and max level ${meta.maxLevel} do not fit a graph of ${count} rows`);
  }
  if (quantised && count > 0 && !meta.quantiser) fail('meta', `${count} rows of store '${store}' but no quantiser`);
  return meta;
}

/**
 * Read an index file into a new index state of `options.kernel`. Everything is validated before it is
 * used: the table against the file, every section's length against the options in `meta` (so no
 * allocation exceeds what the file describes), every checksum, then the contents (levels, upper-list
 * offsets, tombstones, ids unique and within range, every link by the graph checker, vectors finite).
 * Any failure throws an IndexFileError naming the section, and frees what was allocated.
 */
export function readIndex(source: ByteSource, options: LoadOptions): IndexState {
  const { version, entries: table } = readTable(source);
  const meta = readMeta(source, table.get('meta')!, version);
  const spec = metricSpec(meta.metric);
  const { stride0 } = strides(meta.M);
  const { count, dim } = meta;
  const wanted = storeSections(meta);
  for (const name of wanted) if (!table.has(name)) fail('section table', `section '${name}' is missing (store '${meta.store}')`);
  for (const name of table.keys())
    if (!wanted.includes(name)) fail('section table', `section '${name}' does not belong to a '${meta.store}' file`);
  const expected: Record<Exclude<SectionName, 'meta'>, number> = {
    levels: count,
    links0: count * stride0 * 4,
    upoff: count * 4,
    upper: meta.upperUsed * 4,
    labels: count * 4,
    deleted: count,
    codes: count * storeSpec(meta.store).codeBytes(dim),
    quant: (1 + dim) * 4,
    vectors: count * dim * 4,
  };
  for (const [name, bytes] of Object.entries(expected)) {
    const e = table.get(name as SectionName);
    if (e && e.length !== bytes) fail(name, `has ${e.length} bytes; ${count} rows of this index need ${bytes}`);
  }
  const kernel = options.kernel;
  if (!kernel || typeof kernel.createSpace !== 'function') throw new TypeError('loading an index needs { kernel }');
  kernelStore(kernel, meta.store);
  const quantiser = table.has('quant') ? readQuant(source, table.get('quant')!, dim, meta.store) : null;
  const s = new IndexState(
    {
      dim,
      metric: spec.name,
      M: meta.M,
      efConstruction: meta.efConstruction,
      efSearch: meta.efSearch,
      seed: meta.seed,
      kernel,
      boundary: options.boundary,
      capacity: Math.max(1, count),
      timing: options.timing ?? true,
      store: meta.store,
      keepFullPrecision: meta.store === 'f32' || meta.keepFullPrecision === true,
      quantiser,
    },
    spec,
  );
  try {
    fill(source, table, meta, s);
    return s;
  } catch (err) {
    s.dispose();
    throw err;
  }
}

/** The `quant` section: a scale and dim centres, float32, checked as a caller's quantiser is. */
function readQuant(source: ByteSource, entry: Entry, dim: number, store: IndexMeta['store']): Quantiser {
  const raw = new Float32Array(1 + dim);
  readSection(source, entry, asBytes(raw));
  try {
    return checkQuantiser({ scale: raw[0], centre: raw.subarray(1) }, dim, store);
  } catch (err) {
    fail('quant', (err as Error).message);
  }
}

function asBytes(v: ArrayBufferView): Uint8Array {
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

/** Read the arrays straight into the index's memory, then check what they say. */
function fill(source: ByteSource, table: Map<SectionName, Entry>, meta: IndexMeta, s: IndexState): void {
  const g = s.graph,
    count = meta.count;
  g.reserve(count);
  const { stride0, strideUp } = strides(meta.M);
  const upperNeeded = meta.upperUsed;
  g.reserveUpper(upperNeeded);
  readSection(source, table.get('levels')!, asBytes(g.levels.subarray(0, count)));
  readSection(source, table.get('links0')!, asBytes(g.links0.subarray(0, count * stride0)));
  readSection(source, table.get('upoff')!, asBytes(g.upperOffset.subarray(0, count)));
  readSection(source, table.get('upper')!, asBytes(g.upper.subarray(0, upperNeeded)));
  readSection(source, table.get('labels')!, asBytes(g.labels.subarray(0, count)));
  readSection(source, table.get('deleted')!, asBytes(g.deleted.subarray(0, count)));
  s.space.reserve(count);
  const q = s.quantised;
  if (q) {
    // Codes go through the kernel, which derives its per-row terms from them.
    const codes = new Uint8Array(table.get('codes')!.length);
    readSection(source, table.get('codes')!, codes);
    const bad = storeSpec(meta.store).badCode(codes, meta.dim, count);
    if (bad) fail('codes', bad);
    q.writeCodes(0, codes, count);
  }
  const kept = table.get('vectors');
  if (kept) readSection(source, kept, asBytes(s.space.rows(0, count)));

  // Levels and upper lists: every row's lists inside the pool, none overlapping.
  let deleted = 0,
    top = -1;
  const spans: Array<[number, number]> = [];
  for (let row = 0; row < count; row++) {
    const level = g.levels[row];
    if (level > MAX_LEVEL) fail('levels', `row ${row} has level ${level} (at most ${MAX_LEVEL})`);
    top = Math.max(top, level);
    const off = g.upperOffset[row];
    if (level === 0) {
      if (off !== -1) fail('upoff', `row ${row} has level 0 but an upper offset ${off}`);
    } else if (off < 0 || off + level * strideUp > upperNeeded) {
      fail('upoff', `row ${row}: lists at ${off}..${off + level * strideUp} outside the pool of ${upperNeeded}`);
    } else spans.push([off, off + level * strideUp]);
    const d = g.deleted[row];
    if (d > 1) fail('deleted', `row ${row} has tombstone flag ${d}`);
    deleted += d;
  }
  spans.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < spans.length; i++) if (spans[i][0] < spans[i - 1][1]) fail('upoff', `upper lists overlap at ${spans[i][0]}`);
  if (deleted !== meta.tombstones) fail('deleted', `${deleted} tombstones; meta says ${meta.tombstones}`);
  if (top !== meta.maxLevel) fail('levels', `the highest level is ${top}; meta says ${meta.maxLevel}`);
  if (count > 0 && g.levels[meta.entry] !== meta.maxLevel) fail('meta', `entry point ${meta.entry} is not at the top level`);

  // Ids: unique among live rows, below the next automatic id.
  for (let row = 0; row < count; row++) {
    if (g.deleted[row]) continue;
    const label = g.labels[row];
    if (label >= meta.nextId) fail('labels', `row ${row} holds id ${label}, not below the next id ${meta.nextId}`);
    if (s.rowOf.has(label)) fail('labels', `id ${label} is held by rows ${s.rowOf.get(label)} and ${row}`);
    s.rowOf.set(label, row);
  }

  // Vectors (the f32 rows, or kept ones): finite, as the index only ever stores finite ones.
  if (kept) {
    const bad = storeSpec('f32').badCode(asBytes(s.space.rows(0, count)), meta.dim, count);
    if (bad) fail('vectors', bad);
  }

  const h = g.header;
  h[H_COUNT] = count;
  h[H_ENTRY] = meta.entry;
  h[H_MAX_LEVEL] = meta.maxLevel;
  h[H_UPPER_USED] = upperNeeded;
  h[H_DELETED] = meta.tombstones;
  // Links: bounds, targets, levels, duplicates, self-links: the graph checker's invariants.
  const report = checkGraph(g, s.rowOf);
  if (report.problems.length > 0) fail('links0/upper', `${report.problems.length} problem(s), first: ${report.problems[0]}`);
  s.inserter.fit();
  s.nextId = meta.nextId;
  s.live = meta.live;
  s.clampedBefore = meta.clamped ?? 0;
  s.rng.restore(meta.rngState);
}
