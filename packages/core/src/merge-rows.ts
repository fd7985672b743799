import type { BuildContext, Workers } from './contracts.js';
import type { Counters } from './counters.js';
import type { Graph } from './graph.js';
import type { Inserter } from './inserter.js';
import { lockWord, unlockWord } from './locks.js';
import { sharedCounter, takeNext } from './workers/shared-counter.js';
import { workerTask } from './workers/task.js';
import type { AttachedBuild } from './workers/worker-build.js';

/**
 * Batch rows to link from hints (Lucene's join-set merge), indexed by i = row − firstRow:
 * `neighbors[offsets[i]..offsets[i + 1])` are graph rows of the batch near row i in the graph it came
 * from; `join[i]` is 1 for the join set of those graphs; `linked[i]` is 1 for rows already linked.
 */
export interface MergeInput {
  readonly offsets: Int32Array;
  readonly neighbors: Int32Array;
  readonly join: Uint8Array;
  readonly linked: Uint8Array;
}

export interface MergeRowsOptions {
  /** Workers to link with (locking); without, rows are linked in the calling thread. */
  readonly workers?: Workers;
  /** Beam width of the seeded level-0 searches. Default min(3·M, efConstruction), Lucene's choice. */
  readonly ef?: number;
  /** Also start seeded searches from the linked hints' own neighbours (Lucene's entry set). */
  readonly expand?: boolean;
  /** Full insertions to make in the calling thread before workers start (an empty graph). */
  readonly warm?: number;
}

interface ListArgs {
  readonly counter: SharedArrayBuffer;
  readonly rows: SharedArrayBuffer;
  readonly end: number;
  readonly linked: SharedArrayBuffer;
  readonly first: number;
}

interface SeededArgs extends ListArgs {
  readonly offsets: SharedArrayBuffer;
  readonly neighbors: SharedArrayBuffer;
  readonly ef: number;
  readonly expand: boolean;
}

/** Full insertions of rows[i] for the i taken from the counter, flagging each as linked. */
function linkList(linker: Inserter, a: ListArgs): void {
  const counter = new Int32Array(a.counter),
    rows = new Int32Array(a.rows),
    linked = new Uint8Array(a.linked);
  for (let i = takeNext(counter, a.end); i >= 0; i = takeNext(counter, a.end)) {
    linker.insert(rows[i]);
    Atomics.store(linked, rows[i] - a.first, 1);
  }
}

/**
 * Seeded insertions: each level-0 row taken is linked by one level-0 search from its hints already
 * linked (and, with `expand`, their neighbours), instead of a descent from the entry point. A row
 * with no linked hint yet gets a full insertion. Returns how many rows fell back.
 */
function seedList(linker: Inserter, graph: Graph, counters: Counters, locking: boolean, a: SeededArgs): number {
  const counter = new Int32Array(a.counter),
    rows = new Int32Array(a.rows),
    linked = new Uint8Array(a.linked);
  const offsets = new Int32Array(a.offsets),
    neighbors = new Int32Array(a.neighbors);
  const links0 = graph.links0,
    stride = graph.stride0;
  let entries = new Int32Array(64);
  let fallbacks = 0;
  for (let i = takeNext(counter, a.end); i >= 0; i = takeNext(counter, a.end)) {
    const row = rows[i];
    const local = row - a.first;
    const from = offsets[local],
      to = offsets[local + 1];
    const room = (to - from) * (a.expand ? stride : 1);
    if (entries.length < room) entries = new Int32Array(room);
    let n = 0;
    for (let j = from; j < to; j++) {
      const v = neighbors[j];
      if (Atomics.load(linked, v - a.first) === 0) continue;
      entries[n++] = v;
      if (!a.expand) continue;
      const off = v * stride;
      if (locking) lockWord(graph.locks, v, counters);
      const m = links0[off];
      for (let k = 1; k <= m; k++) entries[n++] = links0[off + k];
      if (locking) unlockWord(graph.locks, v);
    }
    if (n === 0) fallbacks++;
    linker.insertFrom(row, entries, n, a.ef);
    Atomics.store(linked, local, 1);
  }
  return fallbacks;
}

// Core's own worker tasks: they reach the attached graph, which the WorkerBuild contract does not show.
export const linkListTask = workerTask(import.meta.url, 'linkListTask', (w, a: ListArgs) => linkList((w as AttachedBuild).linker, a));
export const seedListTask = workerTask(import.meta.url, 'seedListTask', (w, a: SeededArgs) => {
  const b = w as AttachedBuild;
  return seedList(b.linker, b.graph, b.counters, b.setup.locking, a);
});

function shared<T extends Int32Array | Uint8Array>(a: T): SharedArrayBuffer {
  const Ctor = a.constructor as { new (b: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number };
  const s = new Ctor(new SharedArrayBuffer(Math.max(1, a.length) * Ctor.BYTES_PER_ELEMENT));
  s.set(a as never);
  return s.buffer as SharedArrayBuffer;
}

/**
 * Merge rows into the graph: first the join set and every row above level 0 by full insertion, then
 * every other row by a level-0 search seeded from its hints already linked. `warm` full rows go
 * first in the calling thread (for an empty graph). Stages 'merge-full' and 'merge-seeded'.
 */
export async function mergeRows(
  build: BuildContext,
  graph: Graph,
  input: MergeInput,
  options: MergeRowsOptions,
): Promise<{ fullInserts: number; seededInserts: number }> {
  const first = build.firstRow,
    count = build.count;
  const fullList: number[] = [],
    seededList: number[] = [];
  for (let i = 0; i < count; i++) {
    if (input.linked[i]) continue;
    (input.join[i] || graph.levels[first + i] > 0 ? fullList : seededList).push(first + i);
  }
  const linked = shared(input.linked);
  const full = Int32Array.from(fullList);
  const ef = options.ef ?? Math.min(3 * build.M, build.efConstruction);
  const linker = build.linker as Inserter;
  const workers = options.workers;

  const warm = workers ? Math.min(options.warm ?? 0, full.length) : full.length;
  const fullArgs = (from: number): ListArgs => ({ counter: sharedCounter(from), rows: shared(full), end: full.length, linked, first });
  if (warm > 0) await build.stage('merge-full', warm, () => linkList(linker, { ...fullArgs(0), end: warm }));
  if (workers && full.length > warm) {
    const args = fullArgs(warm);
    await build.stage('merge-full', full.length - warm, () => workers.each(linkListTask, () => args));
  }
  let fallbacks = 0;
  if (seededList.length > 0) {
    const args: SeededArgs = {
      counter: sharedCounter(0),
      rows: shared(Int32Array.from(seededList)),
      end: seededList.length,
      linked,
      first,
      offsets: shared(input.offsets),
      neighbors: shared(input.neighbors),
      ef,
      expand: options.expand ?? false,
    };
    await build.stage('merge-seeded', seededList.length, async () => {
      const outcomes = workers ? await workers.each(seedListTask, () => args) : [seedList(linker, graph, linker.counters, false, args)];
      for (const n of outcomes) if (n) fallbacks += n;
    });
  }
  const counts = { fullInserts: full.length + fallbacks, seededInserts: seededList.length - fallbacks };
  build.extra.fullInserts = (build.extra.fullInserts ?? 0) + counts.fullInserts;
  build.extra.seededInserts = (build.extra.seededInserts ?? 0) + counts.seededInserts;
  build.extra.mergeEf = ef;
  return counts;
}
