import type { IndexState } from './index-state.js';

/**
 * Which ids a search may return, compiled against one index: a bitset over its rows, built once and
 * reused by every search that passes it (searchBatch passes it to every worker). Valid while the
 * index is unchanged; a search with a stale filter compiles its ids again.
 */
export class SearchFilter {
  /** @internal */
  constructor(
    /** Bit r of word r >> 5 is set when row r may be returned. */
    readonly rows: Uint32Array,
    /** Live rows the filter allows. */
    readonly allowed: number,
    /** The index's version when compiled. */
    readonly version: number,
    /** What it was compiled from, to compile again when stale. */
    readonly source: FilterInput,
    readonly owner: object,
  ) {}
}

/**
 * A filter as the caller gives it: ids as a Set or an array, or a bitset over ids (bit `id & 7` of
 * byte `id >> 3` of a Uint8Array, or bit `id & 31` of word `id >> 5` of a Uint32Array; ids beyond
 * the bitset are left out), or a SearchFilter from index.createFilter().
 */
export type FilterInput = ReadonlySet<number> | readonly number[] | Uint8Array | Uint32Array | SearchFilter;

/** Compile `input` for the state's rows now. O(|ids|) for a set or array, O(rows) for a bitset. */
export function compileFilter(s: IndexState, input: FilterInput, owner: object): SearchFilter {
  if (input instanceof SearchFilter) {
    if (input.owner !== owner) throw new RangeError('this SearchFilter was made by another index');
    return input.version === s.version ? input : compileFilter(s, input.source, owner);
  }
  const g = s.graph,
    count = g.count;
  const rows = new Uint32Array(Math.max(1, (count + 31) >>> 5));
  let allowed = 0;
  const allow = (row: number) => {
    if (g.deleted[row] || (rows[row >>> 5] >>> (row & 31)) & 1) return;
    rows[row >>> 5] |= 1 << (row & 31);
    allowed++;
  };
  if (input instanceof Uint8Array || input instanceof Uint32Array) {
    const shift = input instanceof Uint8Array ? 3 : 5,
      mask = (1 << shift) - 1,
      bits = input.length << shift;
    for (let row = 0; row < count; row++) {
      const id = g.labels[row];
      if (id < bits && (input[id >>> shift] >>> (id & mask)) & 1) allow(row);
    }
  } else if (input instanceof Set || Array.isArray(input)) {
    for (const id of input as Iterable<number>) {
      const row = s.rowOf.get(id);
      if (row !== undefined) allow(row);
    }
  } else {
    throw new TypeError('filter must be a Set or array of ids, a Uint8Array or Uint32Array bitset over ids, or a SearchFilter');
  }
  return new SearchFilter(rows, allowed, s.version, input, owner);
}
