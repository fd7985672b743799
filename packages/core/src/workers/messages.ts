// The protocol between the main thread and the build workers. Types only. Everything a task needs
// lives in shared memory (the graph, the space, shared counters); messages carry handles and bounds.
import type { Boundary, GraphLayout, KernelDescriptor, SpaceHandle } from '../contracts.js';
import type { CounterValues } from '../counters.js';

/** What a worker attaches for one job: the index's kernel, space and graph, and the batch. */
export interface JobSetup {
  readonly kernel: KernelDescriptor;
  readonly space: SpaceHandle;
  readonly graph: GraphLayout;
  readonly efConstruction: number;
  readonly boundary: Boundary;
  readonly timing: boolean;
  /** Row locks around link lists: on whenever several threads write one graph. */
  readonly locking: boolean;
  readonly firstRow: number;
  readonly count: number;
  readonly worker: number;
  readonly workers: number;
}

/** A task to run: the export `name` of `module`, with `args`. */
export interface TaskCall {
  readonly module: string;
  readonly name: string;
  readonly args: unknown;
}

export type Request =
  { readonly op: 'open'; readonly setup: JobSetup } | { readonly op: 'run'; readonly task: TaskCall } | { readonly op: 'close' };

export type Reply =
  | { readonly ok: true; readonly counters?: CounterValues; readonly busySeconds?: number; readonly result?: unknown }
  | { readonly ok: false; readonly message: string; readonly stack?: string };
