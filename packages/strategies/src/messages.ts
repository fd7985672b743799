// The protocol between the main thread and the build workers. Types only. Everything a task needs
// lives in shared memory (the graph, the space, control words); messages carry only handles and bounds.
import type { KernelDescriptor, SpaceHandle } from '@hnswlab/core/contracts';
import type { CounterValues, GraphBuffers } from '@hnswlab/core/internals';

/** What a worker attaches for one job: the index's kernel, space and graph. */
export interface JobSetup {
  readonly kernel: KernelDescriptor;
  readonly space: SpaceHandle;
  readonly graph: GraphBuffers;
  readonly efConstruction: number;
  readonly timing: boolean;
  /** Per-node locks around link lists: on whenever several threads write one graph. */
  readonly locking: boolean;
}

/** The shared counter every worker of a stage takes its next index from (one Int32, see control.ts). */
export type ControlBuffer = SharedArrayBuffer;

/** Link rows with full insertions: rows[i] (or i itself without a list) for i taken from [start, end). */
export interface InsertTask {
  readonly kind: 'insert';
  readonly ctl: ControlBuffer;
  readonly start: number;
  readonly end: number;
  readonly rows?: SharedArrayBuffer;
  /** Batch flags (Uint8, indexed by row − first) set once a row is linked; a merge reads them. */
  readonly merged?: SharedArrayBuffer;
  readonly first: number;
  readonly faultRow: number;
}

/** Build a private graph over rows [base, base + count) of the space; return its level-0 lists and join set. */
export interface SegmentTask {
  readonly kind: 'segment';
  readonly base: number;
  readonly count: number;
  readonly faultRow: number;
}

export interface SegmentResult {
  /** CSR of the segment's level-0 lists, in segment-local rows. */
  readonly offsets: Int32Array;
  readonly neighbors: Int32Array;
  /** 1 for the rows of the join set. */
  readonly join: Uint8Array;
}

/** Link level-0 rows from their source neighbours (seeded insertion of a merge). */
export interface SeededTask {
  readonly kind: 'seeded';
  readonly ctl: ControlBuffer;
  readonly start: number;
  readonly end: number;
  readonly rows: SharedArrayBuffer;
  readonly first: number;
  /** CSR over batch rows (row − first) of source neighbours, as graph rows. */
  readonly offsets: SharedArrayBuffer;
  readonly neighbors: SharedArrayBuffer;
  readonly merged: SharedArrayBuffer;
  readonly ef: number;
  /** Also start from the linked neighbours' own neighbours (Lucene's entry set). */
  readonly expand: boolean;
  readonly faultRow: number;
}

/** Rounds, step 1: search and select for rows [start, end) against the frozen graph; write to `out`. */
export interface RoundSearchTask {
  readonly kind: 'round-search';
  readonly ctl: ControlBuffer;
  readonly start: number;
  readonly end: number;
  readonly first: number;
  readonly entry: number;
  readonly maxLevel: number;
  readonly outOffsets: SharedArrayBuffer;
  readonly out: SharedArrayBuffer;
  readonly faultRow: number;
}

/** Rounds, step 2: write the owned new rows' lists and the reverse edges into owned targets. */
export interface RoundApplyTask {
  readonly kind: 'round-apply';
  readonly start: number;
  readonly end: number;
  readonly first: number;
  readonly maxLevel: number;
  readonly outOffsets: SharedArrayBuffer;
  readonly out: SharedArrayBuffer;
  readonly worker: number;
  readonly workers: number;
}

export type Task = InsertTask | SegmentTask | SeededTask | RoundSearchTask | RoundApplyTask;

export type Request =
  { readonly op: 'open'; readonly setup: JobSetup } | { readonly op: 'run'; readonly task: Task } | { readonly op: 'close' };

export type Reply =
  | { readonly ok: true; readonly counters?: CounterValues; readonly busySeconds?: number; readonly result?: unknown }
  | { readonly ok: false; readonly message: string; readonly stack?: string };
