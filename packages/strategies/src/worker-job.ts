import type { DistanceKernel, VectorSpace } from '@hnswlab/core/contracts';
import { Counters, Graph, Inserter, type CounterValues } from '@hnswlab/core/internals';
import type { JobSetup } from './messages.js';

// Kernels are re-created once per worker from their descriptors, then reused by every job.
const kernels = new Map<string, Promise<DistanceKernel>>();

function kernelFor(setup: JobSetup): Promise<DistanceKernel> {
  const { module, options } = setup.kernel;
  const key = `${module}\0${JSON.stringify(options ?? null)}`;
  let kernel = kernels.get(key);
  if (!kernel) {
    kernel = import(module).then((mod: { createKernel?: (o?: unknown) => Promise<DistanceKernel> }) => {
      if (typeof mod.createKernel !== 'function') throw new Error(`kernel module ${module} exports no createKernel()`);
      return mod.createKernel(options);
    });
    kernels.set(key, kernel);
    kernel.catch(() => kernels.delete(key));
  }
  return kernel;
}

/** One worker's view of an index for the length of a job: the attached space and graph, its inserter and counters. */
export class WorkerJob {
  readonly counters: Counters;
  readonly inserter: Inserter;

  private constructor(
    readonly setup: JobSetup,
    readonly space: VectorSpace,
    readonly graph: Graph,
  ) {
    this.counters = new Counters(setup.timing);
    this.inserter = new Inserter(graph, space, this.counters, setup.efConstruction, setup.locking);
  }

  static async open(setup: JobSetup): Promise<WorkerJob> {
    const kernel = await kernelFor(setup);
    const space = kernel.attachSpace(setup.space);
    return new WorkerJob(setup, space, new Graph(setup.graph.M, 0, setup.graph));
  }

  /** The work counted since the last call, then zeroed. */
  takeCounters(): CounterValues {
    const v = this.counters.values();
    this.counters.reset();
    return v;
  }

  close(): void {
    // Releases this thread's probes (kernel memory); the rows stay with the owning space.
    this.space.dispose();
  }
}
