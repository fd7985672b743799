import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Arm, TimingEntry, TimingProcess } from './baseline-file.js';
import type { ClockKind } from './cpu-clock.js';
import { timeArm, timeSegments } from './measure.js';

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
 * Time a pair `repeats` times in this process, interleaved: ABAB, then BABA, alternating, so drift and
 * order effects (a warm cache, a GC debt) fall on both arms alike; a segmented pair times both sides
 * within each build. One untimed round first warms the JIT and the data cache. Returns each repeat's
 * ratio, in run order. The suite calls this in a fresh child process per measurement
 * ({@link measurePairProcesses}); calling it in a long-lived process measures that process only.
 */
export async function measurePairInProcess(pair: TimingPair, repeats: number, warmup = true): Promise<number[]> {
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

const CHILD = fileURLToPath(new URL('./timing-child.js', import.meta.url));

/** What the suite asks of its child (timing-child.ts). */
export interface TimingChildRequest {
  pair: TimingPair;
  repeats: number;
  out: string;
}

/**
 * One measurement of `pair` in a fresh node process (`repeats` interleaved repeats after a warm-up),
 * with how busy the machine was meanwhile. Self-test slowdowns reach the child through the environment.
 */
export async function measurePairProcess(pair: TimingPair, repeats: number): Promise<TimingProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'hnswlab-timing-'));
  try {
    const request: TimingChildRequest = { pair, repeats, out: join(dir, 'result.json') };
    writeFileSync(join(dir, 'request.json'), JSON.stringify(request));
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      // No node flags: worker threads inherit them, and Node refuses some there (--expose-gc among them);
      // the harness turns on gc() at run time instead.
      const child = spawn(process.execPath, [CHILD, join(dir, 'request.json')], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
      child.on('error', reject);
      child.on('close', (c) => resolve({ code: c, stderr: err }));
    });
    if (code !== 0 || !existsSync(request.out)) {
      const cause = stderr.split('\n').find((l) => /Error/.test(l)) ?? stderr.trim().slice(-600);
      throw new Error(`timing child for ${pair.id} exited ${code}: ${cause.trim()}`);
    }
    return JSON.parse(readFileSync(request.out, 'utf8')) as TimingProcess;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `processes` fresh processes per pair, round-robin over the pairs (so slow drift of the machine
 * spreads over every pair's processes instead of landing on one pair). Returns each pair's processes;
 * a pair whose process fails is measured no further and returned with its error.
 */
export async function measurePairProcesses(
  pairs: readonly TimingPair[],
  processes: number,
  repeats: number,
  onProcess?: (pair: TimingPair, round: number, result: TimingProcess) => void,
): Promise<Map<string, TimingProcess[] | Error>> {
  const out = new Map<string, TimingProcess[] | Error>(pairs.map((p) => [p.id, []]));
  for (let r = 1; r <= processes; r++) {
    for (const pair of pairs) {
      const sofar = out.get(pair.id);
      if (sofar instanceof Error) continue;
      try {
        const result = await measurePairProcess(pair, repeats);
        sofar!.push(result);
        onProcess?.(pair, r, result);
      } catch (err) {
        out.set(pair.id, err as Error);
      }
    }
  }
  return out;
}
