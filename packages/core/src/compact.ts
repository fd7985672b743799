import type { IndexState } from './index-state.js';
import { H_COUNT, H_DELETED, H_ENTRY, H_MAX_LEVEL, H_UPPER_USED } from './layout.js';
import { storeSpec } from './stores/store-spec.js';

/** What a compaction did. */
export interface CompactReport {
  /** Tombstoned rows removed from the graph and the store. */
  readonly removed: number;
  /** Lists that linked a removed row and were repaired. */
  readonly repairedLists: number;
  /** Bytes of rows freed for later inserts (vectors, lists, per-row arrays). */
  readonly reclaimedBytes: number;
}

/**
 * Consolidate deletes (as FreshDiskANN does), then close the gaps:
 * 1. every live row's list that links a tombstone gets the tombstone's live neighbours instead,
 *    added as back-links are (appended while they fit, else re-pruned by the heuristic), so no path
 *    through a removed row is lost;
 * 2. if the entry point was removed, the live row with the highest level (lowest row of equals)
 *    takes its place;
 * 3. live rows move down over the removed ones, in order (links renumbered, the upper pool repacked,
 *    vectors moved in the store), so the freed rows at the end are reused by later inserts.
 * Step 1 runs under the undo log (a kernel failure there rolls back); steps 2–3 only move memory.
 */
export function compactIndex(s: IndexState): CompactReport {
  const g = s.graph,
    h = g.header;
  const count = g.count,
    removed = h[H_DELETED];
  if (removed === 0) return { removed: 0, repairedLists: 0, reclaimedBytes: 0 };
  const saved = h.slice();
  g.beginUndo(count, count);
  let repairedLists: number;
  try {
    repairedLists = repair(s);
  } catch (err) {
    g.rollback(saved);
    throw err;
  }
  g.endUndo();
  const p = s.params;
  const vectorBytes = storeSpec(p.store).codeBytes(p.dim) + (p.store !== 'f32' && p.keepFullPrecision ? p.dim * 4 : 0);
  const bytesPerRow = g.stride0 * 4 + 14 + vectorBytes;
  let upperFreed = 0;
  for (let row = 0; row < count; row++) if (g.deleted[row]) upperFreed += g.levels[row] * g.strideUp * 4;
  renumber(s);
  s.version++;
  return { removed, repairedLists, reclaimedBytes: removed * bytesPerRow + upperFreed };
}

/** Step 1: replace links to tombstones by the tombstones' live neighbours. Returns the lists repaired. */
function repair(s: IndexState): number {
  const g = s.graph,
    linker = s.inserter,
    deleted = g.deleted;
  let repaired = 0;
  let keep: Int32Array = new Int32Array(64),
    add: Int32Array = new Int32Array(64);
  for (let row = 0; row < g.count; row++) {
    if (deleted[row]) continue;
    for (let l = 0; l <= g.levels[row]; l++) {
      const list = g.listArray(l),
        off = g.listOffset(row, l),
        n = list[off];
      let dead = false;
      for (let j = 1; j <= n; j++) if (deleted[list[off + j]]) dead = true;
      if (!dead) continue;
      // The list's live links stay; each tombstone's live neighbours at this level come in its place.
      let kept = 0,
        added = 0;
      if (keep.length < n) keep = new Int32Array(n);
      for (let j = 1; j <= n; j++) {
        const nb = list[off + j];
        if (!deleted[nb]) {
          keep[kept++] = nb;
          continue;
        }
        const dl = g.listArray(l),
          doff = g.listOffset(nb, l);
        for (let k = 1; k <= dl[doff]; k++) {
          const v = dl[doff + k];
          if (v === row || deleted[v]) continue;
          if (added === add.length) add = growTo(add, added * 2);
          add[added++] = v;
        }
      }
      linker.writeLinks(row, l, keep, 0, kept);
      if (added > 0) linker.addBackLinks(row, l, add, 0, dedupe(add, added));
      repaired++;
    }
  }
  return repaired;
}

/** Move the first occurrence of each value of a[0..n) to the front, in order; returns how many. */
function dedupe(a: Int32Array, n: number): number {
  const seen = new Set<number>();
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (seen.has(a[i])) continue;
    seen.add(a[i]);
    a[m++] = a[i];
  }
  return m;
}

function growTo(a: Int32Array, n: number): Int32Array {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}

/** Steps 2–3: a new entry point if needed, then live rows moved down over the removed ones. */
function renumber(s: IndexState): void {
  const g = s.graph,
    h = g.header,
    count = g.count,
    dim = s.params.dim;
  const to = new Int32Array(count).fill(-1);
  let live = 0;
  for (let row = 0; row < count; row++) if (!g.deleted[row]) to[row] = live++;
  // The entry point stays if it is live; else the live row with the highest level (lowest of equals).
  const old = h[H_ENTRY];
  let entry = old >= 0 && to[old] >= 0 ? old : -1;
  if (entry < 0) for (let row = 0; row < count; row++) if (to[row] >= 0 && (entry < 0 || g.levels[row] > g.levels[entry])) entry = row;

  // An f32 store's rows move in one view; a quantised store moves codes, derived terms and kept rows.
  const vectors = s.quantised ? null : s.space.rows(0, count);
  const stride0 = g.stride0,
    strideUp = g.strideUp;
  let upper = 0;
  // Rows move down (to[row] ≤ row) and upper lists too (offsets grow with the row): forward copies in place.
  for (let row = 0; row < count; row++) {
    const j = to[row];
    if (j < 0) continue;
    const level = g.levels[row];
    if (j !== row) {
      g.levels[j] = level;
      g.labels[j] = g.labels[row];
      if (vectors) vectors.copyWithin(j * dim, row * dim, (row + 1) * dim);
      else s.quantised!.copyRow(row, j);
    }
    g.deleted[j] = 0;
    g.locks[j] = 0;
    const n = g.links0[row * stride0];
    g.links0[j * stride0] = n;
    for (let k = 1; k <= n; k++) g.links0[j * stride0 + k] = to[g.links0[row * stride0 + k]];
    const from = g.upperOffset[row];
    if (level > 0) {
      if (from < upper) throw new Error(`compaction: upper lists out of row order at row ${row} (a bug)`);
      for (let l = 0; l < level; l++) {
        const src = from + l * strideUp,
          dst = upper + l * strideUp,
          m = g.upper[src];
        g.upper[dst] = m;
        for (let k = 1; k <= m; k++) g.upper[dst + k] = to[g.upper[src + k]];
      }
      g.upperOffset[j] = upper;
      upper += level * strideUp;
    } else g.upperOffset[j] = -1;
  }
  h[H_COUNT] = live;
  h[H_UPPER_USED] = upper;
  h[H_DELETED] = 0;
  h[H_ENTRY] = entry < 0 ? -1 : to[entry];
  h[H_MAX_LEVEL] = entry < 0 ? -1 : g.levels[to[entry]];
  s.rowOf.clear();
  for (let row = 0; row < live; row++) s.rowOf.set(g.labels[row], row);
}
