import type { Arm, TimingEntry } from './baseline-file.js';
import { timeArm, timeSegments } from './measure.js';
import type { ClockKind } from './cpu-clock.js';

/** A ratio the timing suite measures: candidate seconds per insert ÷ reference seconds per insert, in one run. */
export interface TimingPair {
  id: string;
  family: TimingEntry['family'];
  figure: string;
  candidate: Arm;
  reference: Arm;
  /** The smallest change worth a verdict (the noise band may widen it). */
  tolerance: number;
  /**
   * Set for the scale pair: both figures come from one build of `candidate`, cut into addBatch calls at
   * these row counts; the ratio is the per-insert cost of the segment ending at the last cut ÷ that of
   * the segment [cuts[0], cuts[1]). Same process state and JIT for both sides, and no per-build fixed cost.
   */
  segments?: readonly number[];
  /** Single-thread pairs read the process CPU clock (immune to preemption); threaded ones must read the wall clock. */
  clock: ClockKind;
}

/** What the timing suite can pair up on this machine. */
export interface TimingOptions {
  /** Kernels that load here besides js ('wasm', 'native'). */
  kernels: readonly string[];
  /** Registered strategies besides sequential ('batched', 'parallel', ...). */
  strategies: readonly string[];
  /** Peer libraries that load ('hnswlib-node', 'usearch'). */
  peers: readonly ('hnswlib-node' | 'usearch')[];
}

const arm = (over: Partial<Arm>): Arm => ({
  library: 'hnswlab',
  kernel: 'js',
  strategy: 'sequential',
  dataset: 'clustered',
  n: 3000,
  dim: 64,
  metric: 'l2',
  M: 12,
  efConstruction: 64,
  threads: 1,
  seed: 11,
  ...over,
});

/** Strategies that use worker threads (timed with 2 threads; their ratios are noisier on a shared machine). */
const THREADED = new Set(['parallel', 'segmented', 'rounds']);

/**
 * The scale pair: per-insert cost of inserts 1000–3000 (graph of ≈2000) against inserts 10000–12000
 * (≈11000) of one build. It grows like log n when healthy; a cost linear in n shows as about ×5.5.
 */
export const SCALE_SMALL_N = 2000;
export const SCALE_LARGE_N = 11000;
const SCALE_CUTS = [1000, 3000, 10000, 12000] as const;

/**
 * Every pair, in a fixed order. Sizes are picked so one build takes well under a second with the js
 * kernel on a 2-core machine: many short interleaved repeats beat few long ones against drift.
 */
export function timingPairs({ kernels, strategies, peers }: TimingOptions): TimingPair[] {
  const pairs: TimingPair[] = [];
  for (const s of strategies) {
    if (s === 'sequential') continue;
    const threads = THREADED.has(s) ? 2 : 1;
    pairs.push({
      id: `strategy:${s}`,
      family: 'strategy',
      figure: `build s/insert ${s}${threads > 1 ? ` (${threads} threads)` : ''} ÷ sequential`,
      candidate: arm({ strategy: s, threads }),
      reference: arm({}),
      tolerance: threads > 1 ? 0.1 : 0.05,
      clock: threads > 1 ? 'wall' : 'cpu',
    });
  }
  for (const k of kernels) {
    if (k === 'js') continue;
    pairs.push({
      id: `kernel:${k}`,
      family: 'kernel',
      figure: `build s/insert ${k} ÷ js (d=128)`,
      candidate: arm({ kernel: k, dim: 128 }),
      reference: arm({ dim: 128 }),
      tolerance: 0.05,
      clock: 'cpu',
    });
  }
  for (const p of peers) {
    // One thread on both sides: the peer's own parallelism is the harness's business, not the gate's.
    pairs.push({
      id: `peer:${p}`,
      family: 'peer',
      figure: `build s/insert hnswlab js sequential ÷ ${p} (1 thread)`,
      candidate: arm({}),
      reference: arm({ library: p, kernel: p }),
      tolerance: 0.05,
      clock: 'cpu',
    });
  }
  const big = arm({ n: SCALE_CUTS[3], dim: 32 });
  pairs.push({
    id: 'scale:js',
    family: 'scale',
    figure: `s/insert at n≈${SCALE_LARGE_N} ÷ at n≈${SCALE_SMALL_N} (one build, d=32)`,
    candidate: big,
    reference: big,
    tolerance: 0.1,
    segments: SCALE_CUTS,
    clock: 'cpu',
  });
  return pairs;
}

/**
 * Time a pair `repeats` times, interleaved: ABAB, then BABA, alternating, so drift and order effects
 * (a warm cache, a GC debt) fall on both arms alike; a segmented pair times both sides within each
 * build. One untimed round first warms the JIT and the data cache. Returns each repeat's ratio, in run order.
 */
export async function measurePair(pair: TimingPair, repeats: number, warmup = true): Promise<number[]> {
  if (pair.segments) return measureSegments(pair, pair.segments, repeats, warmup);
  if (warmup) {
    await timeArm(pair.candidate, pair.clock);
    await timeArm(pair.reference, pair.clock);
  }
  const ratios: number[] = [];
  for (let i = 0; i < repeats; i++) {
    let a: number, b: number;
    if (i % 2 === 0) {
      a = await timeArm(pair.candidate, pair.clock);
      b = await timeArm(pair.reference, pair.clock);
    } else {
      b = await timeArm(pair.reference, pair.clock);
      a = await timeArm(pair.candidate, pair.clock);
    }
    ratios.push(a / b);
  }
  return ratios;
}

async function measureSegments(pair: TimingPair, cuts: readonly number[], repeats: number, warmup: boolean): Promise<number[]> {
  if (warmup) await timeSegments(pair.candidate, cuts);
  const ratios: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t = await timeSegments(pair.candidate, cuts);
    ratios.push(t[t.length - 1] / t[1]);
  }
  return ratios;
}
