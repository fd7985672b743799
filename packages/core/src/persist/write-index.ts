import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { crc32 } from 'node:zlib';
import type { IndexState } from '../index-state.js';
import { H_COUNT, H_DELETED, H_ENTRY, H_MAX_LEVEL, H_UPPER_USED } from '../layout.js';
import {
  align,
  FORMAT_VERSION,
  HEADER_BYTES,
  MAGIC,
  QUANTISED_VERSION,
  storeSections,
  TABLE_ENTRY_BYTES,
  type IndexMeta,
  type SectionName,
} from './format.js';

type Section = readonly [SectionName, Uint8Array];

function bytes(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

/** The file's sections, as views of the live index (no copies): valid until the index changes. */
function sectionsOf(s: IndexState): Section[] {
  const g = s.graph,
    h = g.header,
    p = s.params;
  const count = h[H_COUNT];
  const meta: IndexMeta = {
    dim: p.dim,
    metric: p.metric,
    M: p.M,
    efConstruction: p.efConstruction,
    efSearch: p.efSearch,
    seed: p.seed,
    count,
    live: s.live,
    tombstones: h[H_DELETED],
    nextId: s.nextId,
    rngState: s.rng.seed,
    entry: h[H_ENTRY],
    maxLevel: h[H_MAX_LEVEL],
    upperUsed: h[H_UPPER_USED],
    store: p.store,
    // An f32 file's meta stays as version 1 wrote it.
    ...(p.store === 'f32' ? {} : { keepFullPrecision: p.keepFullPrecision, clamped: s.clamped }),
    ...(p.store === 'i8' || p.store === 'b1' ? { quantiser: s.quantised!.quantiser !== null } : {}),
    writtenBy: p.kernel.name,
  };
  const q = s.quantised;
  const data: Record<SectionName, () => Uint8Array> = {
    meta: () => new TextEncoder().encode(JSON.stringify(meta)),
    levels: () => bytes(g.levels.subarray(0, count)),
    links0: () => bytes(g.links0.subarray(0, count * g.stride0)),
    upoff: () => bytes(g.upperOffset.subarray(0, count)),
    upper: () => bytes(g.upper.subarray(0, h[H_UPPER_USED])),
    labels: () => bytes(g.labels.subarray(0, count)),
    deleted: () => bytes(g.deleted.subarray(0, count)),
    codes: () => q!.codes(0, count),
    quant: () => quantBytes(s),
    vectors: () => bytes(s.space.rows(0, count)),
  };
  return storeSections(meta).map((name) => [name, data[name]()] as const);
}

/** The `quant` section: the scale, then the centres, float32. */
function quantBytes(s: IndexState): Uint8Array {
  const q = s.quantised!.quantiser!;
  const out = new Float32Array(1 + s.params.dim);
  out[0] = q.scale;
  out.set(q.centre, 1);
  return bytes(out);
}

/** The lowest version that describes the index: f32 files stay readable by version-1 readers. */
function versionOf(s: IndexState): number {
  return s.params.store === 'f32' ? FORMAT_VERSION : QUANTISED_VERSION;
}

/** CRC-32 of the header and table: every byte but the checksum's own four (24..28). */
export function headerChecksum(head: Uint8Array): number {
  return crc32(head.subarray(28), crc32(head.subarray(0, 24)));
}

/** The header and section table for `sections`, and where each section goes. */
function layout(sections: readonly Section[], version: number): { head: Uint8Array; offsets: number[]; total: number } {
  const tableEnd = HEADER_BYTES + sections.length * TABLE_ENTRY_BYTES;
  const offsets: number[] = [];
  let at = align(tableEnd);
  for (const [, data] of sections) {
    offsets.push(at);
    at = align(at + data.byteLength);
  }
  const total = at;
  const head = new Uint8Array(tableEnd);
  const view = new DataView(head.buffer);
  head.set(new TextEncoder().encode(MAGIC), 0);
  view.setUint32(8, version, true);
  view.setUint32(12, sections.length, true);
  view.setBigUint64(16, BigInt(total), true);
  sections.forEach(([name, data], i) => {
    const e = HEADER_BYTES + i * TABLE_ENTRY_BYTES;
    head.set(new TextEncoder().encode(name), e);
    view.setBigUint64(e + 8, BigInt(offsets[i]), true);
    view.setBigUint64(e + 16, BigInt(data.byteLength), true);
    view.setUint32(e + 24, crc32(data), true);
  });
  view.setUint32(24, headerChecksum(head), true);
  return { head, offsets, total };
}

/** The whole file in one buffer. */
export function serializeIndex(s: IndexState): Uint8Array {
  const sections = sectionsOf(s);
  const { head, offsets, total } = layout(sections, versionOf(s));
  const out = new Uint8Array(total);
  out.set(head, 0);
  sections.forEach(([, data], i) => out.set(data, offsets[i]));
  return out;
}

/**
 * Write the file crash-safely: into a temporary file beside `path`, flushed to disk, then renamed
 * over `path` (an atomic replace on POSIX file systems). A failure leaves `path` as it was and
 * removes the temporary file. Sections are written straight from the index's memory. The directory
 * is flushed after the rename, so the new name survives a power cut too.
 */
export async function saveIndex(s: IndexState, path: string): Promise<{ bytes: number }> {
  const sections = sectionsOf(s);
  const { head, offsets, total } = layout(sections, versionOf(s));
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const file = await open(temp, 'wx');
  try {
    await file.write(head, 0, head.byteLength, 0);
    for (let i = 0; i < sections.length; i++) {
      const data = sections[i][1];
      for (let done = 0; done < data.byteLength;) {
        const { bytesWritten } = await file.write(data, done, Math.min(data.byteLength - done, 1 << 30), offsets[i] + done);
        done += bytesWritten;
      }
    }
    await file.truncate(total);
    await file.sync();
    await file.close();
    await rename(temp, path);
  } catch (err) {
    await file.close().catch(() => {});
    await rm(temp, { force: true });
    throw err;
  }
  await syncDirectory(dirname(path));
  return { bytes: total };
}

/** fsync a directory (the rename's entry); where directories cannot be opened for that (Windows), skip. */
async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
  } catch {
    return;
  }
  try {
    await handle.sync();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EPERM' && code !== 'EISDIR' && code !== 'EBADF') throw err;
  } finally {
    await handle.close();
  }
}
