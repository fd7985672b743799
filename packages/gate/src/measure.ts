import { HnswIndex } from '@hnswlab/core';
import { loadDataset, type LoadedDataset } from '@hnswlab/datasets';
import {
  forceGc,
  loadKernel,
  loadPeer,
  runCell,
  strategyUnavailable,
  type CellResult,
  type CellSpec,
  type PeerName,
} from '@hnswlab/harness';
import type { Arm } from './baseline-file.js';
import { enterArm, slowKernel } from './selftest-slowdown.js';
import { clockSeconds, type ClockKind } from './cpu-clock.js';

// Every measurement of the gate goes through this file: deterministic cells through the harness's
// runCell; timed builds here, from the harness's kernels, peers and the datasets package, on a CPU
// clock and with chunked builds that runCell does not offer. Swap this file, not the suites.

/** A deterministic cell on one kernel, through the harness (one build, the search at the cell's ef). */
export async function measureCell(spec: CellSpec): Promise<CellResult> {
  enterArm({ library: 'hnswlab', kernel: spec.kernel, strategy: spec.strategy });
  try {
    return await runCell(spec);
  } finally {
    enterArm(null);
  }
}

/** Why an arm cannot run here, or undefined when it can. */
export async function armUnavailable(arm: Arm): Promise<string | undefined> {
  if (arm.library !== 'hnswlab') {
    try {
      await loadPeer(arm.library);
      return undefined;
    } catch (err) {
      return (err as Error).message.replace(/^unavailable: /, '');
    }
  }
  try {
    await loadKernel(arm.kernel);
  } catch (err) {
    return (err as Error).message.replace(/^unavailable: /, '');
  }
  return strategyUnavailable(arm.strategy);
}

/** The code path an arm runs, e.g. `wasm-simd128` or `hnswlib-node`. */
export async function armCodePath(arm: Arm): Promise<string> {
  return arm.library !== 'hnswlab' ? `${arm.library} ${(await loadPeer(arm.library)).version}` : (await loadKernel(arm.kernel)).name;
}

/**
 * One build of an arm from empty, timed on `clock`: seconds per inserted vector. Only the build is
 * timed (addBatch of all n vectors), after a forced GC so no arm pays the previous one's garbage.
 * The harness's runCell also searches and measures memory, which the timing suite does not need, and
 * times on the wall clock only; so this calls the core directly, with the harness's kernels and data.
 */
export async function timeArm(arm: Arm, clock: ClockKind = 'cpu'): Promise<number> {
  if (arm.library !== 'hnswlab') return timePeer(arm, clock);
  const kernel = slowKernel(await loadKernel(arm.kernel));
  const data = await armData(arm);
  forceGc();
  const index = new HnswIndex({ dim: data.dim, metric: arm.metric, M: arm.M, efConstruction: arm.efConstruction, kernel, seed: arm.seed });
  enterArm(arm);
  try {
    const t0 = clockSeconds(clock);
    await index.addBatch(data.base, { strategy: arm.strategy, threads: arm.threads });
    return (clockSeconds(clock) - t0) / arm.n;
  } finally {
    enterArm(null);
  }
}

/**
 * One build of an arm in consecutive addBatch calls cut at `cuts` (ascending, ending at n), each timed
 * on the CPU clock: seconds per insert of every segment. With the sequential strategy the chunks build
 * exactly the graph one call would (levels come from the seeded generator in row order).
 */
export async function timeSegments(arm: Arm, cuts: readonly number[]): Promise<number[]> {
  const kernel = slowKernel(await loadKernel(arm.kernel));
  const data = await armData(arm);
  forceGc();
  const index = new HnswIndex({ dim: data.dim, metric: arm.metric, M: arm.M, efConstruction: arm.efConstruction, kernel, seed: arm.seed });
  const out: number[] = [];
  enterArm(arm);
  try {
    let from = 0;
    for (const to of cuts) {
      const chunk = data.base.subarray(from * data.dim, to * data.dim);
      const t0 = clockSeconds('cpu');
      await index.addBatch(chunk, { strategy: arm.strategy, threads: arm.threads });
      out.push((clockSeconds('cpu') - t0) / (to - from));
      from = to;
    }
  } finally {
    enterArm(null);
  }
  return out;
}

// The few sets a pair alternates between, generated once.
const dataMemo = new Map<string, Promise<LoadedDataset>>();

function armData(arm: Arm): Promise<LoadedDataset> {
  const key = `${arm.dataset}|${arm.n}|${arm.dim}|${arm.seed}`;
  let p = dataMemo.get(key);
  if (!p) {
    p = loadDataset(arm.dataset, { n: arm.n, dim: arm.dim, queries: 1, seed: arm.seed });
    dataMemo.set(key, p);
    while (dataMemo.size > 4) dataMemo.delete(dataMemo.keys().next().value!);
  }
  return p;
}

async function timePeer(arm: Arm, clock: ClockKind): Promise<number> {
  const peer = await loadPeer(arm.library as PeerName);
  const data = await armData(arm);
  forceGc();
  // The peer's build converts our float32 rows to what its API takes, inside the timing: what its users pay.
  const t0 = clockSeconds(clock);
  const index = peer.build(data.base, arm.n, {
    dim: data.dim,
    metric: arm.metric,
    M: arm.M,
    efConstruction: arm.efConstruction,
    threads: 1,
    seed: arm.seed,
  });
  const seconds = clockSeconds(clock) - t0;
  index.dispose();
  return seconds / arm.n;
}
