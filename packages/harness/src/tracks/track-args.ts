import { BENCH_FLAGS, count, names } from '../bench-flags.js';
import { naturalMetric, resolveDatasetId } from '../dataset-ids.js';
import type { MatrixBlock } from '../matrix.js';
import { UsageError } from '../usage-error.js';
import { TRACK_DEFAULTS, TRACK_NAMES, type TrackName, type TrackSpec } from './track-spec.js';

/** The flags only tracks read (the grid and build flags of the matrix set their data and index too). */
export const TRACK_FLAGS = [
  {
    name: 'track',
    arg: 'LIST',
    help: `serving tracks: ${TRACK_NAMES.join(',')}; without --preset only the tracks run, set up by the grid and build flags`,
  },
  { name: 'selectivity', arg: 'LIST', help: 'filtered track: allowed fractions, e.g. 0.01,0.1,0.5 or 1%,10%,50% (default those three)' },
  { name: 'rounds', arg: 'N', help: 'streaming track: delete/insert/search rounds after the first half is built (default 10)' },
  { name: 'churn', arg: 'F', help: 'streaming track: fraction of the live vectors replaced per round (default 0.1)' },
  { name: 'fresh-every', arg: 'N', help: 'streaming track: build the live set from scratch every N rounds and at the last (default 1)' },
] as const;

/**
 * The track runs a command line asks for: each name in --track starts from its TRACK_DEFAULTS, the
 * matrix's grid and build flags (--kernels, --datasets, --sizes, --ef, --threads, …) override them as
 * they would a block, and one run is made per kernel × strategy × boundary × dataset × size × dim.
 * Datasets given by flag take their own metric unless --metric says otherwise. Bad values are UsageErrors.
 */
export function trackSpecs(values: Readonly<Record<string, string | boolean | undefined>>): TrackSpec[] {
  const asked = values.track;
  if (typeof asked !== 'string') return [];
  const tracks = names(asked);
  for (const t of tracks)
    if (!TRACK_NAMES.includes(t as TrackName)) throw new UsageError(`--track: unknown track '${t}' (known: ${TRACK_NAMES.join(', ')})`);
  const out: TrackSpec[] = [];
  for (const track of tracks as TrackName[]) {
    const d = TRACK_DEFAULTS[track];
    const block: MatrixBlock = {
      name: track,
      kernels: [d.kernel],
      strategies: [d.strategy],
      datasets: [d.dataset],
      sizes: [d.n],
      dims: [d.dim],
      threads: d.threads,
      metric: d.metric,
      M: d.M,
      efConstruction: d.efConstruction,
      ef: d.ef,
      k: d.k,
      queries: d.queries,
      seed: d.seed,
      repeat: 1,
      peers: d.peers,
    };
    for (const f of BENCH_FLAGS) {
      const v = values[f.name];
      if (f.apply && typeof v === 'string') f.apply(block, v);
    }
    block.ef = block.ef.filter((e) => e >= block.k);
    if (!block.ef.length) throw new UsageError(`--ef: every value is below k (${block.k})`);
    const selectivities = typeof values.selectivity === 'string' ? fractions(values.selectivity) : d.selectivities;
    const rounds = typeof values.rounds === 'string' ? count(values.rounds, 'rounds') : d.rounds;
    const churn = typeof values.churn === 'string' ? fraction(values.churn, 'churn') : d.churn;
    const freshEvery = typeof values['fresh-every'] === 'string' ? count(values['fresh-every'], 'fresh-every') : d.freshEvery;
    if (rounds < 1 || freshEvery < 1) throw new UsageError('--rounds and --fresh-every must be at least 1');
    if (churn > 0.5) throw new UsageError(`--churn ${churn}: at most 0.5 of the live set per round`);
    for (const dataset of block.datasets.map(resolveDatasetId))
      for (const n of block.sizes)
        for (const dim of block.dims)
          for (const kernel of block.kernels)
            for (const strategy of block.strategies)
              for (const boundary of block.boundaries ?? [undefined])
                out.push({
                  track,
                  kernel,
                  strategy,
                  ...(boundary && { boundary }),
                  dataset,
                  n,
                  dim: dataset === 'clustered' || dataset === 'uniform' ? dim : 0,
                  metric: values.datasets !== undefined && values.metric === undefined ? naturalMetric(dataset) : block.metric,
                  M: block.M,
                  efConstruction: block.efConstruction,
                  ef: block.ef,
                  k: block.k,
                  queries: block.queries,
                  seed: block.seed,
                  threads: [...new Set(block.threads)].sort((a, b) => a - b),
                  selectivities,
                  rounds,
                  churn,
                  freshEvery,
                  peers: block.peers,
                });
  }
  return out;
}

function fraction(value: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(%?)$/.exec(value.trim());
  const v = m ? Number(m[1]) / (m[2] ? 100 : 1) : NaN;
  if (!(v > 0 && v <= 1)) throw new UsageError(`--${flag}: '${value}' is not a fraction in (0, 1] (0.1 or 10%)`);
  return v;
}

function fractions(value: string): number[] {
  const out = names(value).map((x) => fraction(x, 'selectivity'));
  if (!out.length) throw new UsageError('--selectivity needs at least one fraction');
  return out;
}
