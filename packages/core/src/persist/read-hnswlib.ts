import { checkGraph } from '../check.js';
import { IndexState } from '../index-state.js';
import { H_COUNT, H_DELETED, H_ENTRY, H_MAX_LEVEL, H_UPPER_USED, MAX_LEVEL } from '../layout.js';
import { metricSpec } from '../metrics/registry.js';
import { IndexFileError } from './format.js';
import type { ByteSource, LoadOptions } from './read-index.js';

// The C++ hnswlib index file (what hnswlib-node's writeIndex writes): no magic, version or checksum,
// so every size is checked against the header's own arithmetic and the file's length before anything
// is allocated. Layout (little-endian, size_t = 8 bytes):
//   offsetLevel0, maxElements, count, sizeDataPerElement, labelOffset, offsetData (size_t each),
//   maxLevel (i32), entryPoint (u32), maxM, maxM0, M (size_t), mult (f64), efConstruction (size_t);
//   then count elements of sizeDataPerElement bytes: the level-0 list (u32 header: count in the low
//   16 bits, the deleted mark 0x01 in byte 2; then maxM0 u32 links), the vector (dim float32), the
//   label (size_t); then per element a u32 byte length and that many bytes of upper lists, level l at
//   (l − 1)·(4 + 4·maxM), each a u32 header (count in the low 16 bits) and maxM u32 links.

const HEADER_BYTES = 96;
/** Elements read per chunk of the level-0 block. */
const CHUNK = 4096;

export interface HnswlibOptions extends LoadOptions {
  /** The metric the index was built with (hnswlib's file does not say): 'l2', 'ip' or 'cosine'. */
  readonly metric: string;
  readonly efSearch?: number;
  /** Seeds levels drawn for vectors added after the import. Default 42. */
  readonly seed?: number;
}

function fail(what: string, message: string): never {
  throw new IndexFileError(`hnswlib ${what}`, message);
}

/** Read an hnswlib file into a new index state: the same graph, ids, tombstones and vectors. */
export function readHnswlib(source: ByteSource, options: HnswlibOptions): IndexState {
  if (source.size < HEADER_BYTES) fail('header', `the file has ${source.size} bytes; an hnswlib index has at least ${HEADER_BYTES}`);
  const head = new Uint8Array(HEADER_BYTES);
  source.read(0, head);
  const v = new DataView(head.buffer);
  const u64 = (at: number, name: string, max = 2 ** 40): number => {
    const x = v.getBigUint64(at, true);
    if (x > BigInt(max)) fail('header', `${name} is ${x} (at most ${max})`);
    return Number(x);
  };
  const offsetLevel0 = u64(0, 'offsetLevel0');
  const maxElements = u64(8, 'maxElements');
  const count = u64(16, 'element count', 2 ** 31 - 1);
  const sizeData = u64(24, 'size of an element', 1 << 24);
  const labelOffset = u64(32, 'label offset');
  const offsetData = u64(40, 'data offset');
  const maxLevel = v.getInt32(48, true);
  const entry = v.getUint32(52, true);
  const maxM = u64(56, 'maxM', 1 << 16);
  const maxM0 = u64(64, 'maxM0', 1 << 16);
  const M = u64(72, 'M', 1 << 16);
  const efConstruction = u64(88, 'efConstruction', 1 << 24);

  if (offsetLevel0 !== 0) fail('header', `offsetLevel0 is ${offsetLevel0}, expected 0`);
  if (count > maxElements) fail('header', `${count} elements in an index of capacity ${maxElements}`);
  if (M < 2 || M > 127 || maxM !== M) fail('header', `M ${M} and maxM ${maxM}: hnswlab reads 2 ≤ M = maxM ≤ 127`);
  if (maxM0 !== 2 * M) fail('header', `maxM0 is ${maxM0}; hnswlab keeps 2·M = ${2 * M} links at level 0`);
  if (offsetData !== 4 + 4 * maxM0) fail('header', `data offset ${offsetData}, expected ${4 + 4 * maxM0}`);
  const dim = (labelOffset - offsetData) / 4;
  if (!Number.isInteger(dim) || dim < 1) fail('header', `label offset ${labelOffset} leaves no whole vector after the links`);
  if (sizeData !== labelOffset + 8) fail('header', `element size ${sizeData}, expected ${labelOffset + 8}`);
  if (count > 0 && (entry >= count || maxLevel < 0 || maxLevel > MAX_LEVEL))
    fail('header', `entry point ${entry} at level ${maxLevel} in ${count} elements`);
  const upperStart = HEADER_BYTES + count * sizeData;
  if (upperStart + 4 * count > source.size)
    fail('file', `${count} elements of ${sizeData} bytes need more than the file's ${source.size} bytes`);

  const spec = metricSpec(options.metric);
  if (!['l2', 'ip', 'cosine'].includes(spec.name)) fail('options', `metric '${spec.name}' is not one hnswlib has`);
  const kernel = options.kernel;
  const s = new IndexState(
    {
      dim,
      metric: spec.name,
      M,
      efConstruction,
      efSearch: options.efSearch ?? 64,
      seed: options.seed ?? 42,
      kernel,
      boundary: options.boundary,
      capacity: Math.max(1, count),
      timing: options.timing ?? true,
      store: 'f32',
      keepFullPrecision: true,
      quantiser: null,
    },
    spec,
  );
  try {
    fill(source, s, { count, dim, sizeData, offsetData, labelOffset, maxM, upperStart, entry, maxLevel });
    return s;
  } catch (err) {
    s.dispose();
    throw err;
  }
}

interface Shape {
  count: number;
  dim: number;
  sizeData: number;
  offsetData: number;
  labelOffset: number;
  maxM: number;
  upperStart: number;
  entry: number;
  maxLevel: number;
}

function fill(source: ByteSource, s: IndexState, f: Shape): void {
  const g = s.graph,
    { count, dim, sizeData } = f;
  s.space.reserve(count);
  const rows = s.space.rows(0, count);
  const chunk = new Uint8Array(Math.min(CHUNK, Math.max(1, count)) * sizeData);
  const cv = new DataView(chunk.buffer);
  let maxLabel = -1,
    deleted = 0;
  for (let first = 0; first < count; first += CHUNK) {
    const n = Math.min(CHUNK, count - first);
    source.read(HEADER_BYTES + first * sizeData, chunk.subarray(0, n * sizeData));
    for (let i = 0; i < n; i++) {
      const row = first + i,
        at = i * sizeData;
      const links = cv.getUint16(at, true);
      if (links > g.M0) fail('element', `${row} has ${links} level-0 links (at most ${g.M0})`);
      g.links0[row * g.stride0] = links;
      for (let j = 0; j < links; j++) g.links0[row * g.stride0 + 1 + j] = cv.getUint32(at + 4 + 4 * j, true);
      const gone = chunk[at + 2] & 0x01;
      g.deleted[row] = gone;
      deleted += gone;
      for (let j = 0; j < dim; j++) rows[row * dim + j] = cv.getFloat32(at + f.offsetData + 4 * j, true);
      const label = cv.getBigUint64(at + f.labelOffset, true);
      if (label > 0xffffffffn) fail('element', `${row} has label ${label}; hnswlab ids go up to 4294967295`);
      g.labels[row] = Number(label);
      if (!gone) {
        if (s.rowOf.has(Number(label))) fail('element', `label ${label} is held by elements ${s.rowOf.get(Number(label))} and ${row}`);
        s.rowOf.set(Number(label), row);
      }
      maxLabel = Math.max(maxLabel, Number(label));
    }
  }
  for (let i = 0; i < rows.length; i++) if (!Number.isFinite(rows[i])) fail('element', `${Math.floor(i / dim)} has a non-finite component`);

  // Upper lists: a byte length per element, a whole number of lists, copied into the pool.
  const listBytes = 4 + 4 * f.maxM;
  const sizes = new Uint32Array(count);
  let at = f.upperStart,
    pool = 0;
  const word = new Uint8Array(4);
  for (let row = 0; row < count; row++) {
    if (at + 4 > source.size) fail('file', `ends inside the upper lists of element ${row}`);
    source.read(at, word);
    const bytes = new DataView(word.buffer).getUint32(0, true);
    if (bytes % listBytes !== 0 || bytes / listBytes > MAX_LEVEL)
      fail('element', `${row} has ${bytes} bytes of upper lists (not a whole number of levels ≤ ${MAX_LEVEL})`);
    if (at + 4 + bytes > source.size) fail('file', `ends inside the upper lists of element ${row}`);
    sizes[row] = bytes;
    g.levels[row] = bytes / listBytes;
    pool += g.levels[row] * g.strideUp;
    at += 4 + bytes;
  }
  if (at !== source.size) fail('file', `has ${source.size - at} bytes after the last element`);
  g.reserveUpper(pool);
  at = f.upperStart;
  let offset = 0;
  for (let row = 0; row < count; row++) {
    at += 4;
    const level = g.levels[row];
    if (level === 0) {
      g.upperOffset[row] = -1;
      continue;
    }
    const block = new Uint8Array(sizes[row]);
    source.read(at, block);
    const bv = new DataView(block.buffer);
    g.upperOffset[row] = offset;
    for (let l = 0; l < level; l++) {
      const links = bv.getUint16(l * listBytes, true);
      if (links > g.M) fail('element', `${row} level ${l + 1} has ${links} links (at most ${g.M})`);
      g.upper[offset] = links;
      for (let j = 0; j < links; j++) g.upper[offset + 1 + j] = bv.getUint32(l * listBytes + 4 + 4 * j, true);
      offset += g.strideUp;
    }
    at += sizes[row];
  }

  const h = g.header;
  h[H_COUNT] = count;
  h[H_ENTRY] = count > 0 ? f.entry : -1;
  h[H_MAX_LEVEL] = count > 0 ? f.maxLevel : -1;
  h[H_UPPER_USED] = pool;
  h[H_DELETED] = deleted;
  let top = -1;
  for (let row = 0; row < count; row++) top = Math.max(top, g.levels[row]);
  if (top !== h[H_MAX_LEVEL]) fail('header', `max level ${f.maxLevel}, but the highest element has level ${top}`);
  const report = checkGraph(g, s.rowOf);
  if (report.problems.length > 0) fail('links', `${report.problems.length} problem(s), first: ${report.problems[0]}`);
  s.inserter.fit();
  s.nextId = maxLabel + 1;
  s.live = count - deleted;
}
