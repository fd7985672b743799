import { STORES, type VectorStore } from '@hnswlab/core';
import { loadKernel, type CellSpec } from '@hnswlab/harness';
import type { DeterministicFigure, FigureBaseline } from './baseline-file.js';
import { measureCell } from './measure.js';

/** A cell of the deterministic suite; the kernel is filled in per run. */
export interface DeterministicCell {
  /** The data and index parameters, e.g. `uniform-l2-d32-n2000` (shared by the strategies built on it). */
  name: string;
  spec: Omit<CellSpec, 'kernel' | 'repeat'>;
}

/**
 * Seeded single-thread builds (sequential strategy), small enough that every kernel runs the suite in
 * seconds. Recall is read at an ef where it is not saturated, so it can move both ways. The 50-d
 * cosine cell exercises a kernel's tail loop (50 is not a multiple of 4, 8 or 16) and its normalisation.
 * Then every other strategy on the first cell: threaded strategies on 2 threads, gated on their work
 * counters, which contention cannot fake (their wall-clock speed-up is the timing suite's, and gated
 * only on a quiet machine). Then every quantised store on the first cell (`uniform-l2-d32-n2000-i8`,
 * ...), measured on each kernel that lists the store (`kernel.stores`) and left out on the others.
 */
export const DETERMINISTIC_CELLS: readonly DeterministicCell[] = [
  { name: 'uniform-l2-d32-n2000', spec: cell('uniform', 2000, 32, 'l2', 20) },
  { name: 'clustered-cosine-d50-n2000', spec: cell('clustered', 2000, 50, 'cosine', 10) },
  { name: 'uniform-l2-d32-n8000', spec: cell('uniform', 8000, 32, 'l2', 20) },
  { name: 'uniform-l2-d32-n2000', spec: cell('uniform', 2000, 32, 'l2', 20, 'batched') },
  { name: 'uniform-l2-d32-n2000', spec: cell('uniform', 2000, 32, 'l2', 20, 'parallel', 2) },
  { name: 'uniform-l2-d32-n2000', spec: cell('uniform', 2000, 32, 'l2', 20, 'segmented', 2) },
  { name: 'uniform-l2-d32-n2000', spec: cell('uniform', 2000, 32, 'l2', 20, 'rounds', 2) },
  ...STORES.filter((s) => s !== 'f32').map((store) => storeCell('uniform-l2-d32-n2000', cell('uniform', 2000, 32, 'l2', 20), store)),
];

/** The cell `name` with another store: `<name>-<store>`, the store's own codes and store-default keepFullPrecision. */
function storeCell(name: string, spec: DeterministicCell['spec'], store: VectorStore): DeterministicCell {
  return { name: `${name}-${store}`, spec: { ...spec, store } };
}

/**
 * Strategies whose counters repeat exactly (one thread, or threads in a deterministic schedule). The
 * others' counters depend on how their threads interleave: their baseline is taken over several runs
 * and each figure's tolerance widened to cover the spread.
 */
export const REPEATABLE_STRATEGIES: readonly string[] = ['sequential', 'batched', 'rounds'];

/** A non-repeatable figure's tolerance is at least this multiple of its baseline runs' range. */
export const SPREAD_MULTIPLE = 3;
/** ... and at least this (relative) for counts. */
export const THREADED_COUNT_TOLERANCE = 0.02;

/** The id of a cell on a kernel: `<cell>/<strategy>/<kernel>`. */
export function deterministicId(cell: string, strategy: string, kernel: string): string {
  return `${cell}/${strategy}/${kernel}`;
}

function cell(
  dataset: string,
  n: number,
  dim: number,
  metric: CellSpec['metric'],
  ef: number,
  strategy = 'sequential',
  threads = 1,
): DeterministicCell['spec'] {
  return { strategy, dataset, n, dim, metric, M: 12, efConstruction: 64, ef: [ef], k: 10, threads, seed: 7, queries: 200 };
}

/**
 * The figures and what change each allows. They are counts of work the algorithm chose to do, so they
 * repeat exactly on one code path; the tolerances only absorb a kernel rounding a distance differently
 * on another CPU (which can flip a tie and reshape a few links).
 */
export const DETERMINISTIC_FIGURES: Readonly<Record<DeterministicFigure, Omit<FigureBaseline, 'value'> & { label: string }>> = {
  distanceEvalsPerInsert: { label: 'distance evaluations per insert', better: 'lower', tolerance: { relative: 0.005 } },
  nodesVisitedPerInsert: { label: 'nodes visited per insert', better: 'lower', tolerance: { relative: 0.005 } },
  recallAtK: { label: 'recall@10 at the cell ef', better: 'higher', tolerance: { absolute: 0.005 } },
  distanceEvalsPerQuery: { label: 'distance evaluations per query at the cell ef', better: 'lower', tolerance: { relative: 0.005 } },
  bytesPerVector: { label: 'index bytes per vector', better: 'lower', tolerance: { relative: 0.01 } },
};

export const FIGURE_NAMES = Object.keys(DETERMINISTIC_FIGURES) as DeterministicFigure[];

/** One cell on one kernel: its figures, or why it did not run. */
export interface DeterministicMeasurement {
  /** `<cell>/<strategy>/<kernel>`. */
  id: string;
  cell: string;
  strategy: string;
  kernel: string;
  kernelName: string | null;
  spec: DeterministicCell['spec'];
  status: 'ok' | 'unavailable' | 'failed';
  reason?: string;
  /** The harness's hash of the cell's vectors. */
  datasetHash?: string;
  figures?: Record<DeterministicFigure, number>;
}

/** The stores a kernel lists (`['f32']` when it lists none), or null when it does not load. */
async function kernelStores(kernel: string): Promise<readonly VectorStore[] | null> {
  try {
    return (await loadKernel(kernel)).stores ?? ['f32'];
  } catch {
    return null;
  }
}

/**
 * Run every cell on every kernel (kernel-major; a kernel that cannot load is reported for each of its
 * cells). A store cell runs only on the kernels that list its store.
 */
export async function runDeterministicSuite(
  kernels: readonly string[],
  cells: readonly DeterministicCell[] = DETERMINISTIC_CELLS,
  onCell?: (m: DeterministicMeasurement) => void,
): Promise<DeterministicMeasurement[]> {
  const out: DeterministicMeasurement[] = [];
  for (const kernel of kernels) {
    const stores = await kernelStores(kernel);
    for (const c of cells) {
      // a store cell covers the kernels that list the store; a kernel that does not load is reported for every cell
      if (c.spec.store && stores && !stores.includes(c.spec.store)) continue;
      const r = await measureCell({ ...c.spec, ef: [...c.spec.ef], kernel, repeat: 1 });
      const base = {
        id: deterministicId(c.name, c.spec.strategy, kernel),
        cell: c.name,
        strategy: c.spec.strategy,
        kernel,
        kernelName: r.kernelName ?? null,
        spec: c.spec,
      };
      let m: DeterministicMeasurement;
      if (r.status !== 'ok' || !r.build || !r.search?.[0] || !r.memory) {
        m = { ...base, status: r.status === 'ok' ? 'failed' : r.status, reason: r.reason ?? 'the cell returned no figures' };
      } else {
        const s = r.search[0];
        m = {
          ...base,
          status: 'ok',
          datasetHash: r.dataset?.hash,
          figures: {
            distanceEvalsPerInsert: r.build.distanceEvalsPerInsert ?? NaN,
            nodesVisitedPerInsert: r.build.nodesVisitedPerInsert ?? NaN,
            recallAtK: s.recall,
            distanceEvalsPerQuery: s.distanceEvalsPerQuery ?? NaN,
            bytesPerVector: r.memory.bytesPerVector.total,
          },
        };
      }
      onCell?.(m);
      out.push(m);
    }
  }
  return out;
}
