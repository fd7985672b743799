import type { CellSpec } from '@hnswlab/harness';
import type { DeterministicFigure, FigureBaseline } from './baseline-file.js';
import { measureCell } from './measure.js';

/** A cell of the deterministic suite; the kernel is filled in per run. */
export interface DeterministicCell {
  name: string;
  spec: Omit<CellSpec, 'kernel' | 'repeat'>;
}

/**
 * Seeded single-thread builds (sequential strategy), small enough that every kernel runs the suite in
 * seconds. Recall is read at an ef where it is not saturated, so it can move both ways. The 50-d
 * cosine cell exercises a kernel's tail loop (50 is not a multiple of 4, 8 or 16) and its normalisation.
 */
export const DETERMINISTIC_CELLS: readonly DeterministicCell[] = [
  { name: 'uniform-l2-d32-n2000', spec: cell('uniform', 2000, 32, 'l2', 20) },
  { name: 'clustered-cosine-d50-n2000', spec: cell('clustered', 2000, 50, 'cosine', 10) },
  { name: 'uniform-l2-d32-n8000', spec: cell('uniform', 8000, 32, 'l2', 20) },
];

function cell(dataset: string, n: number, dim: number, metric: CellSpec['metric'], ef: number): DeterministicCell['spec'] {
  return { strategy: 'sequential', dataset, n, dim, metric, M: 12, efConstruction: 64, ef: [ef], k: 10, threads: 1, seed: 7, queries: 200 };
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
  cell: string;
  kernel: string;
  kernelName: string | null;
  spec: DeterministicCell['spec'];
  status: 'ok' | 'unavailable' | 'failed';
  reason?: string;
  /** The harness's hash of the cell's vectors. */
  datasetHash?: string;
  figures?: Record<DeterministicFigure, number>;
}

/** Run every cell on every kernel (kernel-major, so a kernel that cannot load is tried once per cell and reported each time). */
export async function runDeterministicSuite(
  kernels: readonly string[],
  cells: readonly DeterministicCell[] = DETERMINISTIC_CELLS,
  onCell?: (m: DeterministicMeasurement) => void,
): Promise<DeterministicMeasurement[]> {
  const out: DeterministicMeasurement[] = [];
  for (const kernel of kernels) {
    for (const c of cells) {
      const r = await measureCell({ ...c.spec, ef: [...c.spec.ef], kernel, repeat: 1 });
      const base = { cell: c.name, kernel, kernelName: r.kernelName ?? null, spec: c.spec };
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
