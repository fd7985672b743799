import { readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { IndexFileError } from './format.js';
import type { ByteSource } from './read-index.js';

/**
 * Run `read` over the file at `path` as a ByteSource: sections are read straight into the index's
 * memory, never the whole file at once. The reads are synchronous, the validation runs between them.
 */
export async function withFile<T>(path: string, read: (source: ByteSource) => T): Promise<T> {
  if (typeof path !== 'string' || path === '') throw new TypeError('a file path is needed');
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    return read({
      size,
      read(offset, into) {
        for (let done = 0; done < into.byteLength;) {
          const n = readSync(file.fd, into, done, into.byteLength - done, offset + done);
          if (n === 0) throw new IndexFileError('file', `ends at byte ${offset + done}; expected ${offset + into.byteLength}`);
          done += n;
        }
      },
    });
  } finally {
    await file.close();
  }
}
