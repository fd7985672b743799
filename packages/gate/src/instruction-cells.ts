import type { CellSpec } from '@hnswlab/harness';

/** A cell of the instruction suite: one kernel × single-threaded strategy over one seeded data set. */
export interface InstructionCell {
  /** `<data>/<strategy>/<kernel>`, e.g. `uniform-l2-d32-n1000/sequential/wasm`. */
  id: string;
  data: string;
  kernel: string;
  strategy: string;
  /** Whether the cell also counts the search (one strategy per kernel does: the search code is the same). */
  search: boolean;
  spec: CellSpec;
}

/** The instruction figures and what change each allows at least (the baseline's measured spread can only widen it). */
export type InstructionFigure = 'instructionsPerInsert' | 'instructionsPerQuery';

export const INSTRUCTION_FIGURE_LABELS: Readonly<Record<InstructionFigure, string>> = {
  instructionsPerInsert: 'instructions per insert (one build from empty, after a warm-up build)',
  instructionsPerQuery: 'instructions per query at the cell ef',
};

/** The strategies that run on one thread, and so can be counted under valgrind (which runs threads one at a time). */
export const INSTRUCTION_STRATEGIES = ['sequential', 'batched'] as const;

/** The strategy whose cells also count the search. */
const SEARCH_STRATEGY = 'sequential';

/**
 * The data every cell builds: small, because valgrind runs node ~50× slower (a cell takes 20–60 s),
 * seeded, and the same for every kernel, so the figures compare kernels too. `repeat: 2` because the
 * first build of a cell is the one counted: the second (the harness's last) also carries forced
 * collections and memory accounting, the search after it is counted separately.
 */
export const INSTRUCTION_DATA = {
  name: 'uniform-l2-d32-n1000',
  spec: {
    dataset: 'uniform',
    n: 1000,
    dim: 32,
    metric: 'l2',
    M: 12,
    efConstruction: 64,
    ef: [20],
    k: 10,
    threads: 1,
    seed: 7,
    queries: 100,
    repeat: 2,
  },
} as const satisfies { name: string; spec: Omit<CellSpec, 'kernel' | 'strategy'> };

/** Every cell for these kernels and strategies, kernel-major. */
export function instructionCells(kernels: readonly string[], strategies: readonly string[] = INSTRUCTION_STRATEGIES): InstructionCell[] {
  const out: InstructionCell[] = [];
  for (const kernel of kernels) {
    for (const strategy of strategies) {
      out.push({
        id: `${INSTRUCTION_DATA.name}/${strategy}/${kernel}`,
        data: INSTRUCTION_DATA.name,
        kernel,
        strategy,
        search: strategy === SEARCH_STRATEGY,
        spec: { ...INSTRUCTION_DATA.spec, ef: [...INSTRUCTION_DATA.spec.ef], kernel, strategy },
      });
    }
  }
  return out;
}
