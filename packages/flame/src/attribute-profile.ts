import { PHASE_FUNCTIONS, type Phase } from '@hnswlab/core';
import {
  ATTRIBUTION_SCHEMA,
  BUCKETS,
  PHASES,
  type Attribution,
  type AttributionMethod,
  type Bucket,
  type BucketStat,
  type CellPhase,
  type FunctionStat,
  type ProfileWindow,
} from './attribution.js';
import type { CpuProfile } from './cpu-profile.js';
import { describeNodes, type NodeInfo } from './describe-nodes.js';
import { SourceIndex } from './source-index.js';

/** Frames whose presence on the stack marks a sample as part of the phase: the window spans the first to the last such sample. */
export const PHASE_ROOTS: Readonly<Record<CellPhase, readonly string[]>> = {
  build: ['Inserter.insert', 'Inserter.insertFrom', 'Inserter.plan', 'IndexState.beginBatch'],
  search: ['HnswIndex.search'],
};

export interface AttributeOptions {
  phase: CellPhase;
  method: AttributionMethod;
  /** Inserts (build) or searches (search) in the window, for the per-1k figures. */
  units: number;
  tool?: string;
  /** Default: the core's PHASE_FUNCTIONS. */
  phaseFunctions?: Readonly<Record<string, Phase>>;
  /** Default: PHASE_ROOTS[phase]. */
  roots?: readonly string[];
  /** Resolves `Class.method` names; default: a fresh index reading the profiled scripts from disk. */
  sources?: SourceIndex;
  /** Names of `wasm-function[i]` frames (see wasmFunctionNames). */
  wasmNames?: ReadonlyMap<number, string>;
  /** Functions under this share of self time (and ten times it of total time) are left out of the table; listed ones always stay. Default 0.0005. */
  minShare?: number;
  /**
   * The kernel's own phase timers of a fused insert, as shares (navigation, neighbour search,
   * connection management): in the timer view, the self time of a `…Traversal.insert` frame (a whole
   * insert in one call, whose inside the profile cannot see, as with the native addon) is split in
   * these proportions. Without it that time goes to the phase in progress.
   */
  fusedInsertShares?: Partial<Record<Phase, number>>;
}

interface FunctionAcc {
  name: string;
  file: string;
  line: number;
  self: number;
  total: number;
  inlined: number;
  inlinedKnown: boolean;
  byBucket: Partial<Record<Bucket, number>>;
  listed: boolean;
}

/**
 * Attribute one or more V8 CPU profiles (one per thread) to functions and phases. Each profile is cut
 * to its window (first to last sample with a phase root on the stack); inside it, a sample's time goes
 * to the bucket of its innermost frame that names one (phase table, kernel, GC), else to harness
 * overhead; `(idle)` is counted apart. The timer view charges time as the core's wall-clock timers
 * do, so the two can be compared: kernel time to the phase that called it, and GC and the insert
 * loop's own bookkeeping to the phase in progress (that of the last sample with a listed frame).
 */
export function attributeProfiles(profiles: readonly { file: string; profile: CpuProfile }[], options: AttributeOptions): Attribution {
  const phaseFunctions = options.phaseFunctions ?? PHASE_FUNCTIONS;
  const roots = new Set(options.roots ?? PHASE_ROOTS[options.phase]);
  const sources = options.sources ?? new SourceIndex();
  const bucketMs = Object.fromEntries(BUCKETS.map((b) => [b, 0])) as Record<Bucket, number>;
  const timerMs = Object.fromEntries(PHASES.map((p) => [p, 0])) as Record<Phase, number>;
  let unattributedMs = 0;
  let carriedMs = 0;
  let fusedMs = 0;
  let idleMs = 0;
  const fusedShares = normalised(options.fusedInsertShares);
  const functions = new Map<string, FunctionAcc>();
  const windows: ProfileWindow[] = [];

  for (const { file, profile } of profiles) {
    const { nodes: info, byKey } = describeNodes(profile, sources, phaseFunctions, roots, options.wasmNames);
    const { samples, timeDeltas } = profile;
    let first = -1,
      last = -1;
    for (let i = 0; i < samples.length; i++) {
      if (info.get(samples[i])?.onPath) {
        if (first < 0) first = i;
        last = i;
      }
    }
    let windowMs = 0,
      windowIdle = 0,
      count = 0;
    let current: Phase | null = null;
    for (let i = first; i >= 0 && i <= last; i++) {
      const node = info.get(samples[i]);
      if (!node) continue;
      const w = Math.max(0, timeDeltas[i] ?? 0) / 1000;
      windowMs += w;
      count++;
      if (node.bucket === 'idle') {
        windowIdle += w;
        continue;
      }
      bucketMs[node.bucket] += w;
      if (node.fusedInsert && !node.timerPhase && fusedShares) {
        for (const p of PHASES) timerMs[p] += w * (fusedShares[p] ?? 0);
        fusedMs += w;
        // The kernel times inside its call only: what runs between calls is in no phase of the timers.
        current = null;
      } else if (node.timerPhase) {
        timerMs[node.timerPhase] += w;
        current = node.timerPhase;
      } else if (node.onPath || node.bucket === 'gc') {
        // A wall-clock timer charges GC pauses and insert()'s own bookkeeping to the phase in progress.
        if (current) {
          timerMs[current] += w;
          carriedMs += w;
        } else unattributedMs += w;
      }
      const self = accFor(functions, node, phaseFunctions);
      self.self += w;
      self.byBucket[node.bucket] = (self.byBucket[node.bucket] ?? 0) + w;
      if (node.inlinedFraction !== null) {
        self.inlined += w * node.inlinedFraction;
        self.inlinedKnown = true;
      }
      for (const key of node.stackKeys) (functions.get(key) ?? accFor(functions, byKey.get(key)!, phaseFunctions)).total += w;
    }
    idleMs += windowIdle;
    windows.push({ file, samples: count, windowMs, idleMs: windowIdle });
  }

  let activeMs = 0;
  for (const b of BUCKETS) activeMs += bucketMs[b];
  const per1k = (ms: number) => (options.units > 0 ? (ms / options.units) * 1000 : 0);
  const buckets = Object.fromEntries(
    BUCKETS.map((b): [Bucket, BucketStat] => [
      b,
      { ms: bucketMs[b], share: activeMs > 0 ? bucketMs[b] / activeMs : 0, msPer1k: per1k(bucketMs[b]) },
    ]),
  ) as Record<Bucket, BucketStat>;
  let timerTotal = 0;
  for (const p of PHASES) timerTotal += timerMs[p];
  const timerShares = Object.fromEntries(PHASES.map((p) => [p, timerTotal > 0 ? timerMs[p] / timerTotal : 0])) as Record<Phase, number>;

  const minShare = options.minShare ?? 0.0005;
  let inlinedSelfMs = 0;
  const table: FunctionStat[] = [];
  for (const f of functions.values()) {
    inlinedSelfMs += f.inlined;
    if (!f.listed && f.self < minShare * activeMs && f.total < 10 * minShare * activeMs) continue;
    table.push({
      name: f.name,
      file: f.file,
      line: f.line,
      selfMs: f.self,
      totalMs: f.total,
      selfShare: activeMs > 0 ? f.self / activeMs : 0,
      totalShare: activeMs > 0 ? f.total / activeMs : 0,
      selfByBucket: f.byBucket,
      inlinedSelfMs: f.inlinedKnown ? f.inlined : null,
    });
  }
  table.sort((a, b) => b.selfMs - a.selfMs || b.totalMs - a.totalMs);

  return {
    schema: ATTRIBUTION_SCHEMA,
    phase: options.phase,
    tool: options.tool ?? 'cpuprofile',
    method: options.method,
    units: options.units,
    unitName: options.phase === 'build' ? 'inserts' : 'searches',
    profiles: windows,
    activeMs,
    idleMs,
    buckets,
    timerView: { shares: timerShares, ms: timerMs, carriedMs, unattributedMs, fusedInsertMs: fusedMs },
    coreTimers: null,
    agreement: null,
    functions: table,
    inlinedSelfMs,
    cell: null,
    command: null,
    toolCommand: null,
    node: process.version,
    createdAt: new Date().toISOString(),
  };
}

function accFor(functions: Map<string, FunctionAcc>, node: NodeInfo, phaseFunctions: Readonly<Record<string, Phase>>): FunctionAcc {
  let acc = functions.get(node.key);
  if (!acc) {
    acc = {
      name: node.name,
      file: node.file,
      line: node.line,
      self: 0,
      total: 0,
      inlined: 0,
      inlinedKnown: false,
      byBucket: {},
      listed: Object.hasOwn(phaseFunctions, node.name),
    };
    functions.set(node.key, acc);
  }
  return acc;
}

/** Shares that sum to 1 over the phases given, or undefined when there are none. */
function normalised(shares: Partial<Record<Phase, number>> | undefined): Partial<Record<Phase, number>> | undefined {
  if (!shares) return undefined;
  let total = 0;
  for (const p of PHASES) total += shares[p] ?? 0;
  if (!(total > 0)) return undefined;
  return Object.fromEntries(PHASES.map((p) => [p, (shares[p] ?? 0) / total]));
}
