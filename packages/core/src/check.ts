import type { Graph } from './graph.js';

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
 * The graph checker parallel builds are tested with: every list within its bound, links to existing
 * rows at that level, no self-links, no duplicates, a valid entry point at the top level, and every
 * row linked (no lost inserts) once there are two or more.
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
      for (let j = 1; j <= n; j++) {
        const nb = list[off + j];
        links++;
        if (nb < 0 || nb >= count) report(`row ${row} level ${l}: link to ${nb}, not a row`);
        else if (nb === row) report(`row ${row} level ${l}: self-link`);
        else if (g.levels[nb] < l) report(`row ${row} level ${l}: link to ${nb}, which only reaches level ${g.levels[nb]}`);
        else {
          if (seen[nb] === row * 64 + l) report(`row ${row} level ${l}: duplicate link to ${nb}`);
          seen[nb] = row * 64 + l;
          if (l === 0) referenced[nb] = 1;
        }
      }
    }
  }
  for (const [label, row] of rowOf) {
    if (row >= count || g.labels[row] !== label || g.deleted[row]) report(`id ${label} maps to row ${row}, which does not hold it`);
  }
  let unreferenced = 0;
  for (let row = 0; row < count; row++) if (!referenced[row] && row !== entry) unreferenced++;
  return { problems, rows: count, links, unreferenced };
}
