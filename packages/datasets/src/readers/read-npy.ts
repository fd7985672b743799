import { closeSync, fstatSync, openSync } from 'node:fs';
import { FileFormatError } from '../file-format-error.js';
import { checkFinite } from './check-finite.js';
import { checkRowLimit, checkSize } from './check-size.js';
import { readExactly } from './read-exactly.js';
import type { Matrix } from './read-vecs.js';

const DTYPES: Record<string, { bytes: number; float: boolean; read: (b: Buffer, off: number) => number }> = {
  '<f4': { bytes: 4, float: true, read: (b, o) => b.readFloatLE(o) },
  '<f8': { bytes: 8, float: true, read: (b, o) => b.readDoubleLE(o) },
  '<f2': { bytes: 2, float: true, read: (b, o) => halfToFloat(b.readUInt16LE(o)) },
  '|u1': { bytes: 1, float: false, read: (b, o) => b[o] },
  '|i1': { bytes: 1, float: false, read: (b, o) => b.readInt8(o) },
  '<i4': { bytes: 4, float: false, read: (b, o) => b.readInt32LE(o) },
  '<i8': { bytes: 8, float: false, read: (b, o) => Number(b.readBigInt64LE(o)) },
};
const DTYPE_LIST = `one of ${Object.keys(DTYPES)
  .map((d) => `'${d}'`)
  .join(', ')} (little-endian float16/32/64, uint8/int8/int32/int64)`;
/** numpy writes a few hundred bytes (and by default refuses to read headers over 10,000). */
const MAX_HEADER = 1 << 20;
const CHUNK_BYTES = 8 << 20;

/**
 * A 2-D NumPy .npy array (format 1.0–3.0, C order, little-endian float16/32/64 or int8/uint8/int32/int64),
 * first `maxRows` rows, as float32. A 1-D array is one row. The header length, the shape and the data
 * size are checked against the file before anything is allocated; float values must be finite.
 */
export function readNpy(file: string, maxRows = Infinity): Matrix<Float32Array> & { totalRows: number } {
  checkRowLimit('maxRows', maxRows);
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size < 10) throw new FileFormatError(file, 'size', `${size} bytes`, 'at least 10 (the .npy preamble)');
    const pre = readExactly(fd, file, Math.min(12, size), 0, 'preamble');
    const magic = pre.toString('latin1', 0, 6);
    if (magic !== '\x93NUMPY') throw new FileFormatError(file, 'magic', JSON.stringify(magic), '"\\x93NUMPY" (is this a .npy file?)');
    const [major, minor] = [pre[6], pre[7]];
    if (major < 1 || major > 3 || minor !== 0) throw new FileFormatError(file, 'format version', `${major}.${minor}`, '1.0, 2.0 or 3.0');
    const start = major >= 2 ? 12 : 10;
    if (size < start) throw new FileFormatError(file, 'size', `${size} bytes`, `at least ${start} (the version ${major}.0 preamble)`);
    const headerLen = checkSize(
      file,
      'header length',
      major >= 2 ? pre.readUInt32LE(8) : pre.readUInt16LE(8),
      1,
      Math.min(size - start, MAX_HEADER),
      `the ${size - start} bytes after the preamble`,
    );
    const header = readExactly(fd, file, headerLen, start, 'header').toString(major >= 3 ? 'utf8' : 'latin1');
    const { descr, shape } = parseHeader(file, header);
    const dtype = DTYPES[descr === '<f' ? '<f4' : descr];
    if (!dtype) throw new FileFormatError(file, "header 'descr'", `'${descr}'`, DTYPE_LIST);
    if (shape.length < 1 || shape.length > 2)
      throw new FileFormatError(file, "header 'shape'", `(${shape.join(', ')})`, 'a 1-D or 2-D array');
    const dataStart = start + headerLen;
    const dataBytes = size - dataStart;
    const dim = checkSize(file, "header 'shape' columns", shape[shape.length - 1], 1, Infinity);
    const totalRows = shape.length === 2 ? checkSize(file, "header 'shape' rows", shape[0], 1, Infinity) : 1;
    // compared as numbers: a lying shape gives a product far from the file's size, exact or not
    const expected = totalRows * dim * dtype.bytes;
    if (dataBytes !== expected)
      throw new FileFormatError(
        file,
        'data size',
        `${dataBytes} bytes`,
        `${expected} for shape (${shape.join(', ')}) of ${descr} (${dataBytes < expected ? 'truncated, or the shape is wrong' : 'trailing bytes, or the shape is wrong'})`,
      );
    const rows = Math.min(totalRows, maxRows);
    const need = rows * dim * dtype.bytes;
    const out = new Float32Array(rows * dim);
    // whole values per chunk (8 MiB is a multiple of every dtype size)
    const chunk = Buffer.alloc(Math.max(1, Math.min(need, CHUNK_BYTES)));
    for (let pos = 0; pos < need; pos += chunk.length) {
      const m = Math.min(chunk.length, need - pos);
      readExactly(fd, file, m, dataStart + pos, 'data', chunk);
      const first = pos / dtype.bytes;
      for (let i = 0; i < m / dtype.bytes; i++) out[first + i] = dtype.read(chunk, i * dtype.bytes);
    }
    if (dtype.float) checkFinite(file, 'array', out, dim);
    return { data: out, rows, dim, totalRows };
  } finally {
    closeSync(fd);
  }
}

/**
 * The header is a Python dict literal, `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`:
 * each key is required, and each shape entry must be a non-negative integer literal (`3` or Python 2's `3L`).
 */
function parseHeader(file: string, header: string): { descr: string; shape: number[] } {
  const shown = JSON.stringify(header.length > 120 ? `${header.slice(0, 120)}...` : header);
  if (!/^\s*\{/.test(header)) throw new FileFormatError(file, 'header', shown, "a Python dict such as {'descr': '<f4', ...}");
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(header)?.[1];
  if (descr === undefined) throw new FileFormatError(file, "header 'descr'", `missing from ${shown}`, `a dtype string, ${DTYPE_LIST}`);
  const fortran = /['"]fortran_order['"]\s*:\s*(\w+)/.exec(header)?.[1];
  if (fortran !== 'False')
    throw new FileFormatError(
      file,
      "header 'fortran_order'",
      fortran ?? `missing from ${shown}`,
      'False (Fortran-order arrays are not supported: save with np.ascontiguousarray)',
    );
  const tuple = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (tuple === undefined) throw new FileFormatError(file, "header 'shape'", `missing from ${shown}`, 'a tuple such as (1000, 128)');
  const items = tuple
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.some((s) => !/^\d+L?$/.test(s)))
    throw new FileFormatError(file, "header 'shape'", `(${items.join(', ')})`, 'a tuple of non-negative integers');
  return { descr, shape: items.map((s) => Number(s.replace('L', ''))) };
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1,
    e = (h >> 10) & 0x1f,
    f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/** Encode a 2-D float32 array as .npy (version 1.0), for tests and exports. */
export function encodeNpy(values: Float32Array, dim: number): Buffer {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${values.length / dim}, ${dim}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), Buffer.from(values.buffer, values.byteOffset, values.byteLength)]);
}
