/**
 * HDF5 (superblock 2+, as h5wasm writes) guards each object header with a Jenkins lookup3 checksum, so
 * a changed dataspace is caught by HDF5 itself. Files written without checksums (h5py's default) are
 * caught only by the reader's own checks: to reach those, the corpus rewrites a header and re-seals it.
 */

/** Bob Jenkins' lookup3 `hashlittle`, as HDF5's H5_checksum_lookup3 (initval 0). */
export function lookup3(k: Uint8Array, initval = 0): number {
  let a = (0xdeadbeef + k.length + initval) >>> 0;
  let b = a;
  let c = a;
  const rot = (x: number, s: number) => ((x << s) | (x >>> (32 - s))) >>> 0;
  const word = (o: number, n: number) => {
    let v = 0;
    for (let i = Math.min(n, 4) - 1; i >= 0; i--) v = (v * 256 + k[o + i]) >>> 0;
    return v;
  };
  let o = 0;
  let length = k.length;
  while (length > 12) {
    a = (a + word(o, 4)) >>> 0;
    b = (b + word(o + 4, 4)) >>> 0;
    c = (c + word(o + 8, 4)) >>> 0;
    a = (a - c) >>> 0;
    a = (a ^ rot(c, 4)) >>> 0;
    c = (c + b) >>> 0;
    b = (b - a) >>> 0;
    b = (b ^ rot(a, 6)) >>> 0;
    a = (a + c) >>> 0;
    c = (c - b) >>> 0;
    c = (c ^ rot(b, 8)) >>> 0;
    b = (b + a) >>> 0;
    a = (a - c) >>> 0;
    a = (a ^ rot(c, 16)) >>> 0;
    c = (c + b) >>> 0;
    b = (b - a) >>> 0;
    b = (b ^ rot(a, 19)) >>> 0;
    a = (a + c) >>> 0;
    c = (c - b) >>> 0;
    c = (c ^ rot(b, 4)) >>> 0;
    b = (b + a) >>> 0;
    length -= 12;
    o += 12;
  }
  if (length === 0) return c;
  // the tail: up to 12 bytes, little-endian into a, b, c
  a = (a + word(o, Math.min(length, 4))) >>> 0;
  if (length > 4) b = (b + word(o + 4, Math.min(length - 4, 4))) >>> 0;
  if (length > 8) c = (c + word(o + 8, length - 8)) >>> 0;
  c = (c ^ b) >>> 0;
  c = (c - rot(b, 14)) >>> 0;
  a = (a ^ c) >>> 0;
  a = (a - rot(c, 11)) >>> 0;
  b = (b ^ a) >>> 0;
  b = (b - rot(a, 25)) >>> 0;
  c = (c ^ b) >>> 0;
  c = (c - rot(b, 16)) >>> 0;
  a = (a ^ c) >>> 0;
  a = (a - rot(c, 4)) >>> 0;
  b = (b ^ a) >>> 0;
  b = (b - rot(a, 14)) >>> 0;
  c = (c ^ b) >>> 0;
  c = (c - rot(b, 24)) >>> 0;
  return c;
}

/**
 * Recompute the checksum of the version-2 object header ("OHDR") that holds byte `at`, after the caller
 * changed it. Throws when the header's stored checksum did not match before (the layout is not what
 * this expects), so the corpus never builds a case on a wrong guess.
 */
export function resealObjectHeader(b: Buffer, at: number, original: Uint8Array): void {
  const start = b.lastIndexOf('OHDR', at, 'latin1');
  if (start < 0 || b[start + 4] !== 2) throw new Error(`corpus: no version-2 object header before byte ${at}`);
  const flags = b[start + 5];
  let p = start + 6 + (flags & 0x20 ? 16 : 0) + (flags & 0x10 ? 4 : 0);
  const sizeBytes = 1 << (flags & 3);
  let size = 0;
  for (let i = sizeBytes - 1; i >= 0; i--) size = size * 256 + b[p + i];
  p += sizeBytes;
  const end = p + size;
  if (lookup3(original.subarray(start, end)) !== Buffer.from(original).readUInt32LE(end))
    throw new Error(`corpus: the object header at ${start} does not checksum as expected`);
  b.writeUInt32LE(lookup3(b.subarray(start, end)), end);
}
