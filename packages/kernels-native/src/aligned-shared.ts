import type { NativeAddon } from './native-addon.js';

/** Cache-line size: vectors that start on one are read without loads straddling two lines. */
export const ALIGNMENT_BYTES = 64;

type SharedView<T> = new (buffer: SharedArrayBuffer, byteOffset: number, length: number) => T;

/**
 * `length` elements over a fresh SharedArrayBuffer, the first one on a 64-byte boundary: the buffer
 * gets 64 spare bytes and the view starts where the addon says the next boundary is. Falls back to
 * offset 0 if the allocator's alignment does not suit the element size (never seen: it is 16).
 */
export function alignedShared<T>(View: SharedView<T> & { BYTES_PER_ELEMENT: number }, length: number, addon: NativeAddon): T {
  const buffer = new SharedArrayBuffer(length * View.BYTES_PER_ELEMENT + ALIGNMENT_BYTES);
  const offset = (ALIGNMENT_BYTES - addon.addressMod64(new Uint8Array(buffer, 0, 1))) % ALIGNMENT_BYTES;
  return new View(buffer, offset % View.BYTES_PER_ELEMENT === 0 ? offset : 0, length);
}
