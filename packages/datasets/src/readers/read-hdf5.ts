import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { FileFormatError } from '../file-format-error.js';
import type { AnnHdf5 } from './ann-hdf5.js';
import { checkRowLimit } from './check-size.js';
import { hdf5Host } from './hdf5-host.js';

const SIGNATURE = Buffer.from('\x89HDF\r\n\x1a\n', 'latin1');

/**
 * Read an ann-benchmarks HDF5 file (the first `maxTrain` base rows and `maxTest` queries) with h5wasm,
 * HDF5 compiled to WebAssembly, in a worker thread. `train` and `test` must be 2-D little-endian float
 * (or small integer) datasets of one dimension with finite values; `neighbors`, when present, one row
 * of train-row ids per test row. Every shape is checked against the file size before anything is read.
 * A file HDF5 cannot finish within `timeoutMs` (default 30 s plus 1 s per 10 MB) or aborts on is a
 * FileFormatError, like every other defect of the file.
 */
export async function readAnnHdf5(
  file: string,
  maxTrain = Infinity,
  maxTest = Infinity,
  options: { timeoutMs?: number } = {},
): Promise<AnnHdf5> {
  checkRowLimit('maxTrain', maxTrain);
  checkRowLimit('maxTest', maxTest);
  const size = checkSignature(file);
  const timeoutMs = options.timeoutMs ?? 30_000 + Math.ceil(size / 10_000);
  if (!(timeoutMs > 0)) throw new RangeError(`timeoutMs must be positive, got ${String(options.timeoutMs)}`);
  return hdf5Host.read({ file, maxTrain, maxTest }, timeoutMs);
}

/**
 * HDF5 looks for its signature at byte 0, 512, 1024, 2048, ... (after a user block): check that here, so
 * a file that is not HDF5 gets a plain error, and return the file's size.
 */
function checkSignature(file: string): number {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const got = Buffer.alloc(8);
    for (let at = 0; at + 8 <= size; at = at === 0 ? 512 : at * 2) {
      if (readSync(fd, got, 0, 8, at) === 8 && got.equals(SIGNATURE)) return size;
    }
    throw new FileFormatError(
      file,
      'signature',
      size < 8 ? `absent (the file is ${size} bytes)` : `absent (bytes 0-7 are ${hexBytes(fd, size)})`,
      'the HDF5 signature 89 48 44 46 0d 0a 1a 0a at byte 0 or a power of two from 512 (is this an HDF5 file?)',
    );
  } finally {
    closeSync(fd);
  }
}

function hexBytes(fd: number, size: number): string {
  const b = Buffer.alloc(Math.min(8, size));
  readSync(fd, b, 0, b.length, 0);
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(' ');
}
