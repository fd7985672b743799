// The hnswlab index file, versions 1 and 2 (documented in packages/core/FORMAT.md). Little-endian; every
// section starts on a 64-byte boundary, so a reader can map a section without parsing per node.
//
//   [0, 64)            file header: magic, version, section count, file length, CRC-32 of the table
//   [64, 64 + 32·n)    section table: name (8 ASCII bytes, NUL-padded), offset (u64), length (u64),
//                      CRC-32 of the section (u32), reserved (u32)
//   sections           in table order, each at a multiple of 64, zero padding between

import type { VectorStore } from '../contracts.js';

export const MAGIC = 'HNSWLAB\0';
/** The version of files with an 'f32' store (unchanged since version 1, so older readers read them). */
export const FORMAT_VERSION = 1;
/** The version of files with a quantised store ('f16', 'i8', 'b1'): codes, quantiser, kept rows. */
export const QUANTISED_VERSION = 2;
export const HEADER_BYTES = 64;
export const TABLE_ENTRY_BYTES = 32;
export const ALIGN = 64;
/** More sections than this is not a file this reader wrote. */
export const MAX_SECTIONS = 32;

/**
 * Every section name, in file order. `meta` is JSON; the others are the graph's and the store's
 * arrays. Which of the store's a file has follows its store: see {@link storeSections}.
 */
export const SECTIONS = ['meta', 'levels', 'links0', 'upoff', 'upper', 'labels', 'deleted', 'codes', 'quant', 'vectors'] as const;
export type SectionName = (typeof SECTIONS)[number];

/**
 * The sections a file has, in file order: every one required, no other allowed. `quant` holds an
 * i8 or b1 quantiser once it is set (an index that never stored a row has none yet); `vectors` the
 * f32 store's rows, or a quantised store's kept float32 rows.
 */
export function storeSections(meta: Pick<IndexMeta, 'store' | 'keepFullPrecision' | 'quantiser'>): SectionName[] {
  const graph: SectionName[] = ['meta', 'levels', 'links0', 'upoff', 'upper', 'labels', 'deleted'];
  if (meta.store === 'f32') return [...graph, 'vectors'];
  return [...graph, 'codes', ...(meta.quantiser ? (['quant'] as const) : []), ...(meta.keepFullPrecision ? (['vectors'] as const) : [])];
}

/** What `meta` holds: the options and the state a loaded index continues from. */
export interface IndexMeta {
  readonly dim: number;
  readonly metric: string;
  readonly M: number;
  readonly efConstruction: number;
  readonly efSearch: number;
  readonly seed: number;
  /** Rows in the file (live and tombstoned). */
  readonly count: number;
  readonly live: number;
  readonly tombstones: number;
  /** The next automatic id. */
  readonly nextId: number;
  /** The level generator's state, so a loaded index draws the same levels a never-saved one would. */
  readonly rngState: number;
  readonly entry: number;
  readonly maxLevel: number;
  /** Int32 slots of the upper pool in use. */
  readonly upperUsed: number;
  /** How vectors are stored: 'f32' rows of dim float32 (as the space holds them: normalised under cosine), or a quantised store's codes. */
  readonly store: VectorStore;
  /** Quantised stores: float32 rows are kept (the `vectors` section). Absent for 'f32'. */
  readonly keepFullPrecision?: boolean;
  /** Quantised stores: rows stored clamped so far (IndexStats.clamped). Absent for 'f32'. */
  readonly clamped?: number;
  /** 'i8' and 'b1': the quantiser is set (the `quant` section). Absent for 'f32' and 'f16'. */
  readonly quantiser?: boolean;
  /** The kernel that wrote the file, for information only: any kernel reads it. */
  readonly writtenBy: string;
}

export const align = (n: number): number => Math.ceil(n / ALIGN) * ALIGN;

/** A file that cannot be read as an index: says which part and why. */
export class IndexFileError extends Error {
  override readonly name = 'IndexFileError';
  constructor(
    readonly section: string,
    message: string,
  ) {
    super(`${section}: ${message}`);
  }
}
