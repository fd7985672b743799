import type { BenchReport } from './bench-report.js';
import type { CellResult, LoopDelay } from './cell-result.js';
import { threadsUsed } from './figures.js';
import { fmt, fmtMB, fmtPct } from './format.js';
import { cellTitle } from './headline.js';
import { datasetLabel } from './dataset-ids.js';

/** Every result of a report, ours then the peers, in report order. */
function results(report: BenchReport): CellResult[] {
  return [...report.cells, ...report.peers].filter((c) => c.status === 'ok');
}

function name(c: CellResult): string {
  const title = cellTitle(c);
  return c.library === 'hnswlab' ? `${title}${c.build?.source === 'cache' ? ' †' : ''}` : `**${title}**`;
}

function data(c: CellResult): string {
  return `${datasetLabel(c.spec.dataset)} ${fmt(c.dataset?.n ?? c.spec.n)}×${c.dataset?.dim ?? c.spec.dim}`;
}

/** A delay as `p50 / p99 / max` in ms. */
export function delayText(d: LoopDelay | undefined): string {
  if (!d) return '–';
  const ms = (v: number) => (v >= 100 ? fmt(v) : fmt(v, v >= 10 ? 1 : 2));
  return `${ms(d.p50Ms)} / ${ms(d.p99Ms)} / ${ms(d.maxMs)}`;
}

/** The event loop's delay during each build and while serving, ours and the peers'. */
export function eventLoopTable(report: BenchReport): { head: string[]; rows: string[][] } {
  const head = [
    'build',
    'data',
    't',
    'build: p50 / p99 / max ms',
    'search() one per turn: p50 / p99 / max ms',
    'batch search: p50 / p99 / max ms',
    'batch: threads, QPS',
  ];
  const rows = results(report)
    .filter((c) => c.eventLoop)
    .map((c) => {
      const e = c.eventLoop!;
      return [
        name(c),
        data(c),
        String(threadsUsed(c)),
        delayText(e.build),
        e.search ? `${delayText(e.search)} (ef=${e.search.ef})` : '–',
        delayText(e.searchBatch),
        e.searchBatch ? `${e.searchBatch.threads}, ${fmt(e.searchBatch.qps)}` : '–',
      ];
    });
  return { head, rows };
}

export const EVENT_LOOP_NOTE =
  'Event loop: perf_hooks.monitorEventLoopDelay with a 1 ms timer, on while each operation ran; a figure is how late the timer fired ' +
  '(interval − 1 ms), over the ticks during the operation, so a call that holds the thread throughout is one tick as long as the call. ' +
  'search(): the query set, one query per event-loop turn, at the sweep\u2019s middle ef; batch search: the whole set in one call ' +
  '(ours: searchBatch on worker threads; usearch: its multi-threaded search; hnswlib-node has none).';

/** Save and load of every built index against plain file I/O of the same size, and the file against memory. */
export function persistenceTable(report: BenchReport): { head: string[]; rows: string[][] } {
  const head = [
    'build',
    'data',
    'file MB',
    'B/vec on disk',
    '× raw',
    '× memory',
    'save s',
    'save rate ÷ disk',
    'load s',
    'load ÷ readFile',
  ];
  const rows = results(report)
    .filter((c) => c.persistence)
    .map((c) => {
      const p = c.persistence!;
      return [
        name(c),
        data(c),
        fmtMB(p.fileBytes),
        fmt(p.bytesPerVector),
        fmt(p.fileToRawRatio, 2),
        fmt(p.fileToMemoryRatio, 2),
        `${fmt(p.saveSeconds, 3)}${p.saveSource === 'cache' ? ' †' : ''}`,
        fmtPct(p.saveSeconds > 0 ? p.diskWriteSeconds / p.saveSeconds : null),
        fmt(p.loadSeconds, 3),
        fmt(p.readFileSeconds > 0 ? p.loadSeconds / p.readFileSeconds : null, 2),
      ];
    });
  return { head, rows };
}

export const PERSISTENCE_NOTE =
  'Saving and loading: save = index.save() (write, fsync, rename; peers: their own save); save rate ÷ disk = the seconds a plain write ' +
  'and fsync of as many bytes took in the same run ÷ the save\u2019s seconds; load = HnswIndex.load() (checksums and graph validated; ' +
  'peers: their load), right after fs.readFile of the same file (load ÷ readFile); × memory: file bytes ÷ the index\u2019s bytes in memory.';

/** What the † marks: cells whose build (and save) figures come from the index cache. */
export function cachedNote(report: BenchReport): string | null {
  const cached = report.cells.filter((c) => c.build?.source === 'cache');
  if (!cached.length) return null;
  const dates = [...new Set(cached.map((c) => c.indexCache?.builtAt.slice(0, 10)).filter(Boolean))].sort();
  const machines = [...new Set(cached.map((c) => c.indexCache?.builtOn).filter(Boolean))];
  return (
    `† ${cached.length} of ${report.cells.length} cells searched an index from the index cache: their build and save figures were measured ` +
    `when it was built (${dates.join(', ')}${machines.length ? ` on ${machines.join(', ')}` : ''}), not in this run; --no-index-cache measures every build.`
  );
}
