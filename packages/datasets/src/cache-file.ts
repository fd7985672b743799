import { closeSync, fstatSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { crc32 } from 'node:zlib';

/**
 * The lab's cache files (ground truth, GloVe as float32) are trusted by nobody: each starts with a
 * 4-character tag, a few uint32 fields (its shape) and a CRC-32 of the tag, the fields and the body.
 * A file that fails any check is reported and recomputed, never used.
 *
 *   tag (4 bytes ASCII) | fields (uint32 LE each) | crc32 (uint32 LE) | body
 */
export function sealCacheFile(tag: string, fields: readonly number[], body: readonly Uint8Array[]): Buffer {
  if (tag.length !== 4) throw new RangeError(`cache tag must be 4 characters, got '${tag}'`);
  const head = Buffer.alloc(4 + 4 * fields.length + 4);
  head.write(tag, 0, 'latin1');
  fields.forEach((v, i) => head.writeUInt32LE(v, 4 + 4 * i));
  let crc = crc32(head.subarray(0, 4 + 4 * fields.length));
  for (const part of body) crc = crc32(part, crc);
  head.writeUInt32LE(crc, 4 + 4 * fields.length);
  return Buffer.concat([head, ...body]);
}

/** A cache file that passed every check: its fields and its body (in a buffer of its own, so typed views are aligned). */
export interface OpenedCacheFile {
  readonly fields: number[];
  readonly body: Buffer;
}

/**
 * Read and check a file written by {@link sealCacheFile}: the tag, each field against `expect` (a name
 * and the value it must have; undefined takes any value), the size against `bodyBytes(fields)`, then the checksum. Returns undefined
 * when the file does not exist or starts with one of `legacyTags` (a cache an earlier version wrote, to be
 * replaced without a fuss), `{ problem }` saying what is wrong (field, value found, value expected) when it
 * fails a check; the body is read only after the size is known to match.
 */
export function openCacheFile(
  file: string,
  tag: string,
  expect: readonly (readonly [name: string, value: number | undefined])[],
  bodyBytes: (fields: readonly number[]) => number,
  legacyTags: readonly string[] = [],
): OpenedCacheFile | { problem: string } | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return { problem: `unreadable (${(err as Error).message})` };
  }
  try {
    const size = fstatSync(fd).size;
    const headBytes = 4 + 4 * expect.length + 4;
    if (size < headBytes) return { problem: `size is ${size} bytes; expected at least ${headBytes} (the header)` };
    const head = Buffer.alloc(headBytes);
    if (readSync(fd, head, 0, headBytes, 0) !== headBytes) return { problem: 'header is short; the file changed while read' };
    const found = head.toString('latin1', 0, 4);
    if (legacyTags.includes(found)) return undefined;
    if (found !== tag) return { problem: `tag is ${JSON.stringify(found)}; expected ${JSON.stringify(tag)} (another format or version)` };
    const fields = expect.map((_, i) => head.readUInt32LE(4 + 4 * i));
    for (let i = 0; i < expect.length; i++) {
      const [name, want] = expect[i];
      if (want !== undefined && fields[i] !== want) return { problem: `header field '${name}' is ${fields[i]}; expected ${want}` };
    }
    const want = bodyBytes(fields);
    if (size !== headBytes + want) return { problem: `size is ${size} bytes; expected ${headBytes + want} for the shape in its header` };
    const body = Buffer.alloc(want);
    let got = 0;
    while (got < want) {
      const k = readSync(fd, body, got, want - got, headBytes + got);
      if (k === 0) return { problem: 'body is short; the file changed while read' };
      got += k;
    }
    const stored = head.readUInt32LE(headBytes - 4);
    const actual = crc32(body, crc32(head.subarray(0, headBytes - 4)));
    if (stored !== actual) return { problem: `checksum is ${hex(actual)}; expected ${hex(stored)} as stored (the file is damaged)` };
    return { fields, body };
  } finally {
    closeSync(fd);
  }
}

/**
 * Write `data` to `file` through a temporary file and a rename, so a reader never sees half a file.
 * Returns false (and leaves nothing behind) when the cache cannot be written: that only costs a recomputation.
 */
export function writeCacheFile(file: string, data: Uint8Array): boolean {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(tmp, data);
    renameSync(tmp, file);
    return true;
  } catch {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // nothing more to do: the next writer uses its own temporary name
    }
    return false;
  }
}

/** How the lab reports a cache file it did not use: by default a process warning on stderr. */
export type CacheWarn = (message: string) => void;

/** The default {@link CacheWarn}: `process.emitWarning` with type 'HnswlabCacheWarning'. */
export function emitCacheWarning(message: string): void {
  process.emitWarning(message, 'HnswlabCacheWarning');
}

function hex(v: number): string {
  return v.toString(16).padStart(8, '0');
}
