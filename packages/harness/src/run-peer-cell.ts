import { DatasetUnavailableError } from '@hnswlab/datasets';
import { SCHEMA_VERSION, type CellResult } from './cell-result.js';
import { cellLabel, normalizeCellSpec, type CellSpec } from './cell-spec.js';
import { forceGc } from './force-gc.js';
import { measureSearch } from './measure-search.js';
import { median } from './median.js';
import { loadPeer } from './peers/load-peer.js';
import type { PeerName } from './peers/peer.js';
import { prepareData } from './prepare-data.js';
import type { RunCellOptions } from './run-cell.js';
import { memoryResult } from './memory-result.js';
import { peakRss, resetPeakRss } from './peak-rss.js';

/**
 * A reference row: build `peer` on exactly the data and parameters of `spec` (its kernel and strategy
 * are ignored) and measure it as runCell measures ours. Peers count no distances and time no phases:
 * those figures are null. Index bytes are the peer's serialised size, split as raw vectors + the rest.
 * A missing peer gives status 'unavailable' with the install command.
 */
export async function runPeerCell(
  peer: PeerName,
  input: Partial<CellSpec> & Pick<CellSpec, 'kernel' | 'strategy'>,
  options: RunCellOptions = {},
): Promise<CellResult> {
  const asked = normalizeCellSpec(input);
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const done = (spec: CellSpec, rest: Partial<CellResult> & Pick<CellResult, 'status'>): CellResult => {
    options.onProgress?.({ stage: 'done' });
    return {
      schemaVersion: SCHEMA_VERSION,
      id: cellLabel(spec),
      library: peer,
      spec,
      startedAt,
      ...rest,
      wallSeconds: (performance.now() - t0) / 1000,
    };
  };
  let lib;
  try {
    lib = await loadPeer(peer);
  } catch (err) {
    return done({ ...asked, kernel: peer, strategy: 'peer' }, { status: 'unavailable', reason: (err as Error).message });
  }
  const spec: CellSpec = { ...asked, kernel: peer, strategy: 'peer', threads: Math.min(asked.threads, lib.maxThreads) };
  const kernelName = `${peer} ${lib.version}`;
  try {
    const prepared = await prepareData(spec, (stage) => options.onProgress?.({ stage }));
    const { data } = prepared;
    const secondsPerRepeat: number[] = [];
    let built;
    let memory;
    for (let r = 1; r <= spec.repeat; r++) {
      options.onProgress?.({ stage: 'build', repeat: r });
      built?.dispose();
      built = undefined;
      const last = r === spec.repeat;
      const gcForced = last ? forceGc() : false;
      const before = last ? process.memoryUsage() : undefined;
      const peakReset = last && resetPeakRss();
      const b0 = performance.now();
      const index = lib.build(data.base, data.n, {
        dim: data.dim,
        metric: spec.metric,
        M: spec.M,
        efConstruction: spec.efConstruction,
        threads: spec.threads,
        seed: spec.seed,
      });
      secondsPerRepeat.push((performance.now() - b0) / 1000);
      built = index;
      if (last) {
        const peak = peakRss(peakReset);
        forceGc();
        const after = process.memoryUsage();
        const total = index.bytes();
        const raw = data.n * data.dim * 4;
        memory = {
          ...memoryResult(
            { bytes: { vectors: Math.min(raw, total), graph: Math.max(0, total - raw), other: 0 } },
            data.n,
            data.dim,
            before!,
            after,
            gcForced,
            peak,
          ),
          indexBytesSource: 'serialized' as const,
        };
      }
    }
    const index = built!;
    const seconds = median(secondsPerRepeat);
    options.onProgress?.({ stage: 'search' });
    const search = measureSearch(
      { setEf: (ef) => index.setEf(ef), search: (q, k) => index.search(q, k) },
      data.queries,
      data.dim,
      prepared.gt,
      spec.ef,
      spec.k,
      undefined,
      (ef) => options.onProgress?.({ stage: 'search', ef }),
    );
    index.dispose();
    return done(spec, {
      status: 'ok',
      kernelName,
      dataset: {
        id: spec.dataset,
        name: data.name,
        n: data.n,
        dim: data.dim,
        queries: data.queryCount,
        hash: prepared.hash,
        groundTruth: prepared.gt.source,
      },
      build: {
        seconds,
        secondsPerRepeat,
        vectorsPerSecond: data.n / seconds,
        distanceEvalsPerInsert: null,
        nodesVisitedPerInsert: null,
        phaseSeconds: null,
        phaseShares: null,
        lockWaitSeconds: null,
        threads: spec.threads,
      },
      search,
      memory,
    });
  } catch (err) {
    return done(
      spec,
      err instanceof DatasetUnavailableError
        ? { status: 'unavailable', kernelName, reason: `unavailable: ${err.message}` }
        : { status: 'failed', kernelName, reason: `failed: ${err instanceof Error ? err.message : String(err)}` },
    );
  }
}
