import { randomFillSync } from 'node:crypto';
import { closeSync, fsyncSync, openSync, rmSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const CHUNK_BYTES = 8 << 20;
let chunk: Buffer | undefined;

/**
 * Seconds to write `bytes` bytes to a new file in `dir` and fsync it: the disk's sequential write rate
 * in the same run, the yardstick of a save. The bytes are random (a file system that compresses would
 * flatter zeros); the file is removed afterwards.
 */
export function diskWriteSeconds(dir: string, bytes: number): number {
  chunk ??= randomFillSync(Buffer.allocUnsafe(CHUNK_BYTES));
  const file = join(dir, `.hnswlab-disk-rate-${process.pid}.tmp`);
  const t0 = performance.now();
  const fd = openSync(file, 'w');
  try {
    for (let left = bytes; left > 0; left -= CHUNK_BYTES) writeSync(fd, chunk, 0, Math.min(CHUNK_BYTES, left));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  const seconds = (performance.now() - t0) / 1000;
  rmSync(file, { force: true });
  return seconds;
}

/** Seconds fs.readFile takes to read `file` whole: the yardstick of a load (run just before it, so both find the page cache alike). */
export async function readFileSeconds(file: string): Promise<number> {
  const t0 = performance.now();
  await readFile(file);
  return (performance.now() - t0) / 1000;
}
