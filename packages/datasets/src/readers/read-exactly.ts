import { readSync } from 'node:fs';
import { FileFormatError } from '../file-format-error.js';

/**
 * Read exactly `length` bytes of `fd` at `position` into `into` (or a new buffer); a file that ends
 * first (one that shrank after its size was checked) is a FileFormatError naming `what`.
 */
export function readExactly(fd: number, file: string, length: number, position: number, what: string, into?: Buffer): Buffer {
  const buf = into ?? Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const k = readSync(fd, buf, got, length - got, position + got);
    if (k === 0)
      throw new FileFormatError(file, `${what} at byte ${position}`, `${got} bytes long`, `${length} bytes (the file ends early)`);
    got += k;
  }
  return buf;
}
