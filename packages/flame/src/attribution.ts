import type { Phase } from '@hnswlab/core';

/** Version tag of attribution.json; bumped on any incompatible change. */
export const ATTRIBUTION_SCHEMA = 'hnswlab-flame/attribution@1';

/**
 * Where a sample's time goes: the core's four insert phases, the kernel's distance calls (probe
 * methods, wasm and native frames), V8's garbage collector, and everything else in the window
 * (strategy loop, validation, timers, `(program)`): harness overhead.
 */
export type Bucket = Phase | 'kernel' | 'gc' | 'harness';

/** Buckets in report order. */
export const BUCKETS: readonly Bucket[] = ['navigation', 'neighborSearch', 'connectionManagement', 'storage', 'kernel', 'gc', 'harness'];

/** The insert phases the core times. */
export const PHASES: readonly Phase[] = ['navigation', 'neighborSearch', 'connectionManagement', 'storage'];

/** Which part of a cell the attribution covers. */
export type CellPhase = 'build' | 'search';

/** How inlining was controlled, stated in every table and file so figures are never read without it. */
export interface AttributionMethod {
  /** 'disabled': the profiled process ran with --no-turbo-inlining, so every call is its own frame. */
  inlining: 'disabled' | 'enabled';
  /** V8 flags the profiled process ran with. */
  nodeFlags: string[];
  /** Sampling interval asked of the profiler, microseconds. */
  intervalUs: number | null;
  /** One sentence for the printed table. */
  description: string;
}

export interface BucketStat {
  /** Milliseconds of samples in the window attributed here (summed over threads). */
  ms: number;
  /** Share of the active (non-idle) window time, 0..1. */
  share: number;
  /** Milliseconds per 1,000 units (inserts for build, searches for search). */
  msPer1k: number;
}

export interface FunctionStat {
  /** `Class.method` where the script tells, else V8's name. */
  name: string;
  /** Short location of the script: `core/dist/searcher.js`, `node:internal/...`, `(native)`, `wasm://...`. */
  file: string;
  /** 1-based line of the function's start. */
  line: number;
  selfMs: number;
  /** Time with the function anywhere on the stack (recursion counted once). */
  totalMs: number;
  selfShare: number;
  totalShare: number;
  /** Self time by bucket (a heap method is neighbor search under searchLayer, navigation under greedy). */
  selfByBucket: Partial<Record<Bucket, number>>;
  /**
   * Self time at source lines outside the function's own body: code V8 inlined into it (positionTicks
   * name the callee's lines). Large values mean the self time belongs to callees; null when unknown.
   */
  inlinedSelfMs: number | null;
}

/**
 * Phase shares as the core's wall-clock timers count them: kernel time folded into the phase that
 * called it; GC and insert()'s own bookkeeping (no listed frame on the stack) charged to the phase in
 * progress, i.e. that of the last sample before it that had a listed frame.
 */
export interface TimerView {
  /** Shares over the four phases (sum 1). */
  shares: Record<Phase, number>;
  ms: Record<Phase, number>;
  /** GC and insert-path bookkeeping charged to the phase in progress, ms (included in `ms`). */
  carriedMs: number;
  /**
   * Such time before any phase had started in its thread's window, or after a fused insert call
   * (whose kernel times only inside the call), ms (left out).
   */
  unattributedMs: number;
  /**
   * Self time of fused-insert frames split by the kernel's own phase timers (included in `ms`; see
   * AttributeOptions.fusedInsertShares), ms. Absent in attributions written before it existed.
   */
  fusedInsertMs?: number;
}

export interface Agreement {
  /** Largest |profile share − timer share| over the phases, in percentage points. */
  maxDeltaPp: number;
  deltasPp: Record<Phase, number>;
  tolerancePp: number;
  ok: boolean;
}

export interface ProfileWindow {
  file: string;
  /** Samples inside the window. */
  samples: number;
  /** Window duration, ms. */
  windowMs: number;
  idleMs: number;
}

/** What attribution.json holds. */
export interface Attribution {
  schema: typeof ATTRIBUTION_SCHEMA;
  phase: CellPhase;
  tool: string;
  method: AttributionMethod;
  /** Units the per-1k figures divide by: inserts (build) or searches (search). */
  units: number;
  unitName: 'inserts' | 'searches';
  /** One entry per thread's profile; the window spans its first to last sample on the phase's path. */
  profiles: ProfileWindow[];
  /** Non-idle window time over all threads, ms. */
  activeMs: number;
  idleMs: number;
  buckets: Record<Bucket, BucketStat>;
  timerView: TimerView;
  /** The core's instrumented phase shares from the same run (build only), when known. */
  coreTimers: Record<Phase, number> | null;
  agreement: Agreement | null;
  /** Functions by self time, largest first (those under 0.05% of the window are left out). */
  functions: FunctionStat[];
  /** Inlined self time summed over all functions, ms (see FunctionStat.inlinedSelfMs). */
  inlinedSelfMs: number;
  cell: CellSummary | null;
  /** The profiled run the attribution comes from. */
  command: string | null;
  /** The separate run under 0x or clinic whose flamegraph sits beside it (V8 cannot feed both from one run). */
  toolCommand: string | null;
  node: string;
  createdAt: string;
}

/** The bench figures of the profiled cell, as the harness reported them. */
export interface CellSummary {
  id: string;
  kernelName: string | null;
  spec: Record<string, unknown>;
  buildSeconds: number | null;
  vectorsPerSecond: number | null;
  distanceEvalsPerInsert: number | null;
  phaseShares: Record<Phase, number> | null;
}
