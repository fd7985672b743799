// A test kernel that fails on purpose: it wraps a real kernel and, at the n-th kernel call of a
// thread, throws, ends the worker thread, or exhausts the worker's heap. Its descriptor re-creates it
// in every build worker, so faults reach every strategy and merge without a test hook in the product.
import { isMainThread } from 'node:worker_threads';
import type {
  DistanceKernel,
  DistanceProbe,
  FusedTraversal,
  KernelDescriptor,
  SpaceHandle,
  SpaceOptions,
  VectorSpace,
} from '@hnswlab/core';

export type FaultMode = 'throw' | 'exit' | 'oom';

export interface FaultPlan {
  /** The call (1-based, counted per thread over probe and traversal calls) that fails. */
  readonly atCall: number;
  /** throw: an Error; exit: the worker thread ends (process.exit in a worker); oom: the worker's heap runs out. */
  readonly mode: FaultMode;
  /** Fail in worker threads only (default), in the main thread only, or in any thread. */
  readonly where?: 'worker' | 'main' | 'any';
}

export interface FaultKernelOptions {
  readonly inner: KernelDescriptor;
  readonly fault: FaultPlan;
}

const PROBE_CALLS = ['toRows', 'toRow', 'rowToRows', 'firstNearer'] as const;
const TRAVERSAL_CALLS = ['descend', 'searchLayer', 'searchLayerFrom', 'search', 'insert', 'distance'] as const;

/** The kernel of `options.inner`, failing as `options.fault` says. What a worker's descriptor import calls. */
export async function createKernel(options: FaultKernelOptions): Promise<DistanceKernel> {
  const mod = (await import(options.inner.module)) as { createKernel(o?: unknown): Promise<DistanceKernel> };
  return wrapKernel(await mod.createKernel(options.inner.options), options);
}

/** A kernel that behaves like `inner` until its planned fault. */
export function faultKernel(inner: DistanceKernel, fault: FaultPlan): DistanceKernel {
  return wrapKernel(inner, { inner: inner.descriptor, fault });
}

function wrapKernel(inner: DistanceKernel, options: FaultKernelOptions): DistanceKernel {
  const counter = { calls: 0 };
  const where = options.fault.where ?? 'worker';
  const armed = () => where === 'any' || (where === 'main') === isMainThread;
  const tick = () => {
    if (++counter.calls === options.fault.atCall && armed()) fail(options.fault.mode, counter.calls);
  };
  const wrapSpace = (space: VectorSpace): VectorSpace => {
    const wrapped: VectorSpace = Object.create(space) as VectorSpace;
    Object.defineProperty(wrapped, 'createProbe', {
      value: (maxBatch: number): DistanceProbe => countCalls(space.createProbe(maxBatch), PROBE_CALLS, tick),
    });
    if (space.createTraversal) {
      const make = space.createTraversal.bind(space);
      Object.defineProperty(wrapped, 'createTraversal', {
        value: (...args: Parameters<typeof make>): FusedTraversal => countCalls(make(...args), TRAVERSAL_CALLS, tick),
      });
    }
    return wrapped;
  };
  return {
    name: inner.name,
    descriptor: { module: new URL(import.meta.url).href, options },
    metrics: inner.metrics,
    boundaries: inner.boundaries,
    stores: inner.stores,
    createSpace: (o: SpaceOptions) => wrapSpace(inner.createSpace(o)),
    attachSpace: (h: SpaceHandle) => wrapSpace(inner.attachSpace(h)),
  };
}

/** `target` seen through an object whose listed methods call `tick` first. Fields (ids, out, rows) read through. */
function countCalls<T extends object>(target: T, methods: readonly string[], tick: () => void): T {
  return new Proxy(target, {
    get(t, key) {
      const value = Reflect.get(t, key) as unknown;
      if (typeof value !== 'function') return value;
      const fn = value as (...a: unknown[]) => unknown;
      if (!methods.includes(key as string)) return fn.bind(t);
      return (...a: unknown[]) => {
        tick();
        return fn.apply(t, a);
      };
    },
    set(t, key, value) {
      return Reflect.set(t, key, value);
    },
  });
}

function fail(mode: FaultMode, call: number): never {
  if (mode === 'exit' && !isMainThread) process.exit(3);
  if (mode === 'oom' && !isMainThread) {
    const hog: number[][] = [];
    for (;;) hog.push(new Array<number>(1 << 20).fill(call));
  }
  throw new Error(`injected fault at kernel call ${call} (${mode})`);
}
