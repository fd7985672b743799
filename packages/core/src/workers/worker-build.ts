import type { DistanceKernel, DistanceProbe, KernelDescriptor, VectorSpace, WorkerBuild } from '../contracts.js';
import { Counters, type CounterValues } from '../counters.js';
import { Graph } from '../graph.js';
import { Inserter } from '../inserter.js';
import type { JobSetup } from './messages.js';

// Kernels are re-created once per worker from their descriptors, then reused by every job.
const kernels = new Map<string, Promise<DistanceKernel>>();

function kernelFor({ module, options }: KernelDescriptor): Promise<DistanceKernel> {
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

/** One worker's view of an index for the length of a job: the attached space and graph, its linker and counters. */
export class AttachedBuild implements WorkerBuild {
  readonly counters: Counters;
  readonly linker: Inserter;

  private constructor(
    readonly setup: JobSetup,
    private readonly space: VectorSpace,
    readonly graph: Graph,
  ) {
    this.counters = new Counters(setup.timing);
    this.linker = new Inserter(graph, space, this.counters, {
      efConstruction: setup.efConstruction,
      locking: setup.locking,
      boundary: setup.boundary,
    });
  }

  static async open(setup: JobSetup): Promise<AttachedBuild> {
    const kernel = await kernelFor(setup.kernel);
    const space = kernel.attachSpace(setup.space);
    return new AttachedBuild(setup, space, Graph.attach(setup.graph));
  }

  get worker(): number {
    return this.setup.worker;
  }

  get workers(): number {
    return this.setup.workers;
  }

  get M(): number {
    return this.graph.M;
  }

  get efConstruction(): number {
    return this.setup.efConstruction;
  }

  get firstRow(): number {
    return this.setup.firstRow;
  }

  get count(): number {
    return this.setup.count;
  }

  level(row: number): number {
    return this.graph.levels[row];
  }

  buildPrivateGraph(base: number, count: number): { offsets: Int32Array; neighbors: Int32Array } {
    const graph = Graph.create(this.space, this.graph.M, count);
    const inserter = new Inserter(graph, this.space, this.counters, {
      efConstruction: this.setup.efConstruction,
      locking: false,
      boundary: this.setup.boundary,
      rowOffset: base,
    });
    try {
      graph.allocate(this.graph.levels.subarray(base, base + count), new Uint32Array(count));
      // allocate may have moved the upper pool: a fused traversal holds addresses.
      inserter.fit();
      for (let row = 0; row < count; row++) inserter.insert(row);
      // Work counts; inserts are the index's rows, which the merge links later.
      this.counters.inserts -= count;
      const offsets = new Int32Array(count + 1);
      const links0 = graph.links0,
        stride = graph.stride0;
      for (let row = 0; row < count; row++) offsets[row + 1] = offsets[row] + links0[row * stride];
      const neighbors = new Int32Array(offsets[count]);
      for (let row = 0; row < count; row++)
        neighbors.set(links0.subarray(row * stride + 1, row * stride + 1 + links0[row * stride]), offsets[row]);
      return { offsets, neighbors };
    } finally {
      inserter.dispose();
      graph.dispose();
    }
  }

  /** A probe for exact scans (a filtered batch search's fallback), made on first use. */
  exactProbe(): DistanceProbe {
    return (this.#exact ??= this.space.createProbe(256));
  }

  #exact: DistanceProbe | undefined;

  /** A probe over the float32 rows (a batch search's exact rerank), made on first use. */
  rerankProbe(): DistanceProbe {
    return (this.#rerank ??= this.space.createProbe(256, { exact: true }));
  }

  #rerank: DistanceProbe | undefined;

  /** The work counted since the last call, then zeroed. */
  takeCounters(): CounterValues {
    const v = this.counters.values();
    this.counters.reset();
    return v;
  }

  close(): void {
    this.linker.dispose();
    // Releases this thread's probes (kernel memory); the rows stay with the owning space.
    this.space.dispose();
  }
}
