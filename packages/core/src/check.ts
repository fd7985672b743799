import type { Graph } from './graph.js';
import { MAX_LEVEL } from './layout.js';

export interface GraphReport {
  /** Invariant violations; empty for a sound graph. */
  problems: string[];
  rows: number;
  links: number;
  /** Rows no level-0 link points to (other than the entry point): allowed by HNSW's pruning, but worth watching. */
  unreferenced: number;
}

const MAX_REPORTED = 50;

/**
 * The graph checker every build is tested with. It claims, and its tests break each on purpose:
 * - every list within its bound (count ≥ 0 and ≤ 2M at level 0, ≤ M above);
 * - links to existing rows that reach that level, no self-links, no duplicate links;
 * - a valid entry point at the top level; no row above it;
 * - every row linked at level 0 (no lost inserts) once there are two or more;
 * - the id map: every id maps to a live row holding it, every live row's id maps back to it, no two
 *   live rows hold the same id.
 */
export function checkGraph(g: Graph, rowOf: ReadonlyMap<number, number>): GraphReport {
  const problems: string[] = [];
  const report = (p: string) => {
    if (problems.length < MAX_REPORTED) problems.push(p);
  };
  const count = g.count;
  const entry = g.entry;
  const referenced = new Uint8Array(count);
  let links = 0;
  if (count > 0) {
    if (entry < 0 || entry >= count) report(`entry point ${entry} is not a row (count ${count})`);
    else if (g.levels[entry] !== g.maxLevel) report(`entry point ${entry} has level ${g.levels[entry]}, max level is ${g.maxLevel}`);
  } else if (entry !== -1) report(`empty graph has entry point ${entry}`);
  // Row·(MAX_LEVEL + 1) + level identifies a list; the last list that linked each row is kept.
  const seen = new Float64Array(count).fill(-1);
  for (let row = 0; row < count; row++) {
    const level = g.levels[row];
    if (level > g.maxLevel) report(`row ${row} has level ${level} above max level ${g.maxLevel}`);
    for (let l = 0; l <= level; l++) {
      const list = g.listArray(l);
      const off = g.listOffset(row, l);
      const n = list[off];
      if (n < 0 || n > g.maxLinks(l)) {
        report(`row ${row} level ${l}: ${n} links, bound ${g.maxLinks(l)}`);
        continue;
      }
      if (n === 0 && count > 1 && l === 0) report(`row ${row} has no level-0 links (a lost insert)`);
      const key = row * (MAX_LEVEL + 1) + l;
      for (let j = 1; j <= n; j++) {
        const nb = list[off + j];
        links++;
        if (nb < 0 || nb >= count) report(`row ${row} level ${l}: link to ${nb}, not a row`);
        else if (nb === row) report(`row ${row} level ${l}: self-link`);
        else if (g.levels[nb] < l) report(`row ${row} level ${l}: link to ${nb}, which only reaches level ${g.levels[nb]}`);
        else {
          if (seen[nb] === key) report(`row ${row} level ${l}: duplicate link to ${nb}`);
          seen[nb] = key;
          if (l === 0) referenced[nb] = 1;
        }
      }
    }
  }
  for (const [label, row] of rowOf) {
    if (row < 0 || row >= count || g.labels[row] !== label || g.deleted[row])
      report(`id ${label} maps to row ${row}, which does not hold it`);
  }
  let live = 0;
  for (let row = 0; row < count; row++) {
    if (g.deleted[row]) continue;
    live++;
    const label = g.labels[row];
    const mapped = rowOf.get(label);
    if (mapped !== row) report(`row ${row} holds id ${label}, which maps to ${mapped === undefined ? 'nothing' : `row ${mapped}`}`);
  }
  if (live !== rowOf.size) report(`${live} live rows but ${rowOf.size} ids in the id map`);
  let unreferenced = 0;
  for (let row = 0; row < count; row++) if (!referenced[row] && row !== entry) unreferenced++;
  return { problems, rows: count, links, unreferenced };
}
