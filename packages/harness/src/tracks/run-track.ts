import { DatasetUnavailableError } from '@hnswlab/datasets';
import type { Boundary, DistanceKernel } from '@hnswlab/core';
import { SCHEMA_VERSION } from '../cell-result.js';
import { ModuleUnavailableError } from '../import-optional.js';
import { loadKernel } from '../load-kernel.js';
import { strategyUnavailable } from '../load-strategies.js';
import { prepareData, type PreparedData } from '../prepare-data.js';
import { measureBatchTrack } from './batch-track.js';
import { measureFilteredTrack } from './filtered-track.js';
import { measureStreamingTrack } from './streaming-track.js';
import type { TrackResult } from './track-result.js';
import { trackLabel, type TrackSpec } from './track-spec.js';

/** What a track's measurement starts from: the kernel, the boundary it runs at, and the data with its exact neighbours. */
export interface TrackContext {
  readonly spec: TrackSpec;
  readonly kernel: DistanceKernel;
  readonly boundary: Boundary;
  readonly prepared: PreparedData;
  /** Threads the index is built with: the largest of spec.threads. */
  readonly buildThreads: number;
  readonly log: (line: string) => void;
}

/**
 * Run one track in this process. Like runCell it never throws for a kernel, strategy, boundary or
 * dataset that cannot be used (status 'unavailable', with the reason) or an error during the track
 * ('failed'); `spec.kernel` must already be resolved ('best' is not a kernel).
 */
export async function runTrack(spec: TrackSpec, options: { log?: (line: string) => void } = {}): Promise<TrackResult> {
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const base = { schemaVersion: SCHEMA_VERSION, kind: spec.track, id: trackLabel(spec), spec, startedAt } as const;
  const done = (rest: Partial<TrackResult> & Pick<TrackResult, 'status'>): TrackResult =>
    ({ ...base, ...rest, wallSeconds: (performance.now() - t0) / 1000 }) as TrackResult;
  let kernel: DistanceKernel;
  try {
    kernel = await loadKernel(spec.kernel);
  } catch (err) {
    return done({ status: err instanceof ModuleUnavailableError ? 'unavailable' : 'failed', reason: (err as Error).message });
  }
  const supported = kernel.boundaries ?? ['pair', 'node'];
  if (spec.boundary && !supported.includes(spec.boundary))
    return done({
      status: 'unavailable',
      kernelName: kernel.name,
      reason: `unavailable: the ${kernel.name} kernel does not support boundary '${spec.boundary}' (it supports ${supported.join(', ')})`,
    });
  const noStrategy = await strategyUnavailable(spec.strategy);
  if (noStrategy) return done({ status: 'unavailable', kernelName: kernel.name, reason: `unavailable: ${noStrategy}` });
  try {
    const prepared = await prepareData({ ...spec, queries: spec.queries });
    const ctx: TrackContext = {
      spec,
      kernel,
      boundary: spec.boundary ?? supported[supported.length - 1],
      prepared,
      buildThreads: Math.max(...spec.threads),
      log: options.log ?? (() => {}),
    };
    const { data, hash, gt } = prepared;
    const dataset = { id: spec.dataset, name: data.name, n: data.n, dim: data.dim, queries: data.queryCount, hash, groundTruth: gt.source };
    const figures =
      spec.track === 'filtered'
        ? await measureFilteredTrack(ctx)
        : spec.track === 'batch'
          ? await measureBatchTrack(ctx)
          : await measureStreamingTrack(ctx);
    return done({ status: 'ok', kernelName: kernel.name, boundary: ctx.boundary, dataset, ...figures });
  } catch (err) {
    return done(
      err instanceof DatasetUnavailableError
        ? { status: 'unavailable', kernelName: kernel.name, reason: `unavailable: ${err.message}` }
        : { status: 'failed', kernelName: kernel.name, reason: `failed: ${err instanceof Error ? err.message : String(err)}` },
    );
  }
}
