import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Matrix } from './read-vecs.js';

const DTYPES: Record<string, { bytes: number; read: (b: Buffer, off: number) => number }> = {
  '<f4': { bytes: 4, read: (b, o) => b.readFloatLE(o) },
  '<f8': { bytes: 8, read: (b, o) => b.readDoubleLE(o) },
  '<f2': { bytes: 2, read: (b, o) => halfToFloat(b.readUInt16LE(o)) },
  '|u1': { bytes: 1, read: (b, o) => b[o] },
  '|i1': { bytes: 1, read: (b, o) => b.readInt8(o) },
  '<i4': { bytes: 4, read: (b, o) => b.readInt32LE(o) },
  '<i8': { bytes: 8, read: (b, o) => Number(b.readBigInt64LE(o)) },
};

/**
 * A 2-D NumPy .npy array (format 1.0–3.0, C order, little-endian float16/32/64 or int8/uint8/int32/int64),
 * first `maxRows` rows, as float32. A 1-D array is one row.
 */
export function readNpy(file: string, maxRows = Infinity): Matrix<Float32Array> & { totalRows: number } {
  const fd = openSync(file, 'r');
  try {
    const pre = Buffer.alloc(12);
    readSync(fd, pre, 0, 12, 0);
    if (pre.toString('latin1', 0, 6) !== '\x93NUMPY') throw new RangeError(`${file}: not a .npy file (bad magic)`);
    const major = pre[6];
    const headerLen = major >= 2 ? pre.readUInt32LE(8) : pre.readUInt16LE(8);
    const start = major >= 2 ? 12 : 10;
    const headerBuf = Buffer.alloc(headerLen);
    readSync(fd, headerBuf, 0, headerLen, start);
    const header = headerBuf.toString('latin1');
    const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
    const fortran = /'fortran_order':\s*True/.test(header);
    const shape = /'shape':\s*\(([^)]*)\)/
      .exec(header)?.[1]
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map(Number);
    if (!descr || !shape) throw new RangeError(`${file}: cannot parse .npy header ${header.trim()}`);
    if (fortran) throw new RangeError(`${file}: Fortran-order arrays are not supported (save with np.ascontiguousarray)`);
    const dtype = DTYPES[descr === '<f' ? '<f4' : descr];
    if (!dtype) throw new RangeError(`${file}: dtype ${descr} not supported (use float32, float64, float16, int8, uint8, int32, int64)`);
    if (shape.length < 1 || shape.length > 2) throw new RangeError(`${file}: expected a 1-D or 2-D array, got shape (${shape.join(', ')})`);
    const totalRows = shape.length === 2 ? shape[0] : 1;
    const dim = shape.length === 2 ? shape[1] : shape[0];
    const rows = Math.min(totalRows, maxRows);
    const dataStart = start + headerLen;
    const need = rows * dim * dtype.bytes;
    if (fstatSync(fd).size < dataStart + totalRows * dim * dtype.bytes) throw new RangeError(`${file}: truncated .npy data`);
    const out = new Float32Array(rows * dim);
    const chunk = Buffer.alloc(Math.min(need, 8 << 20) || 1);
    for (let pos = 0; pos < need; pos += chunk.length) {
      const m = Math.min(chunk.length, need - pos);
      readSync(fd, chunk, 0, m, dataStart + pos);
      const first = pos / dtype.bytes;
      for (let i = 0; i < m / dtype.bytes; i++) out[first + i] = dtype.read(chunk, i * dtype.bytes);
    }
    return { data: out, rows, dim, totalRows };
  } finally {
    closeSync(fd);
  }
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
