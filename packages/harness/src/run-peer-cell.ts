import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatasetUnavailableError } from '@hnswlab/datasets';
import { SCHEMA_VERSION, type CellResult, type EventLoopResult, type LoopDelay, type PersistenceResult } from './cell-result.js';
import { cellLabel, normalizeCellSpec, type CellSpec } from './cell-spec.js';
import { forceGc } from './force-gc.js';
import { diskWriteSeconds, readFileSeconds } from './file-io-rates.js';
import { LOOP_RESOLUTION_MS, measureLoopDelay, perTurn } from './loop-delay.js';
import { measureSearch } from './measure-search.js';
import { median } from '@hnswlab/lab-kit';
import { loadPeer } from './peers/load-peer.js';
import type { PeerName } from './peers/peer.js';
import { prepareData } from './prepare-data.js';
import { referenceEf } from './figures.js';
import type { RunCellOptions } from './run-cell.js';
import { memoryResult } from './memory-result.js';
import { peakRss, resetPeakRss } from './peak-rss.js';

/**
 * A reference row: build `peer` on exactly the data and parameters of `spec` (its kernel and strategy
 * are ignored) and measure it as runCell measures ours: builds, the search sweep, the event loop during
 * the last build and while serving (one-query calls one per loop turn; the library's batch search where
 * it has one), and its own save and load. Peers count no distances and time no phases: those figures
 * are null. Index bytes are the peer's serialised size, split as raw vectors + the rest. A missing
 * peer gives status 'unavailable' with the install command.
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
    let buildLoop: LoopDelay | undefined;
    const measureLoop = options.eventLoop ?? true;
    for (let r = 1; r <= spec.repeat; r++) {
      options.onProgress?.({ stage: 'build', repeat: r });
      built?.dispose();
      built = undefined;
      const last = r === spec.repeat;
      const gcForced = last ? forceGc() : false;
      const before = last ? process.memoryUsage() : undefined;
      const peakReset = last && resetPeakRss();
      let seconds = 0;
      const timed = () => {
        const b0 = performance.now();
        const made = lib.build(data.base, data.n, {
          dim: data.dim,
          metric: spec.metric,
          M: spec.M,
          efConstruction: spec.efConstruction,
          threads: spec.threads,
          seed: spec.seed,
        });
        seconds = (performance.now() - b0) / 1000;
        return made;
      };
      let index;
      if (last && measureLoop) {
        const measured = await measureLoopDelay(timed);
        index = measured.value;
        buildLoop = measured.delay;
      } else index = timed();
      secondsPerRepeat.push(seconds);
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
    let eventLoop: EventLoopResult | undefined;
    if (measureLoop) {
      options.onProgress?.({ stage: 'event-loop' });
      const ef = referenceEf(spec.ef);
      const nq = data.queries.length / data.dim;
      index.setEf(ef);
      const one = await measureLoopDelay(() =>
        perTurn(nq, (q) => index.search(data.queries.subarray(q * data.dim, (q + 1) * data.dim), spec.k)),
      );
      eventLoop = { resolutionMs: LOOP_RESOLUTION_MS, ...(buildLoop && { build: buildLoop }), search: { ...one.delay, ef } };
      if (index.searchBatch) {
        const batch = await measureLoopDelay(() => index.searchBatch!(data.queries, spec.k, spec.threads));
        eventLoop.searchBatch = { ...batch.delay, ef, threads: spec.threads, qps: nq / batch.delay.seconds };
      }
    }
    options.onProgress?.({ stage: 'save' });
    const persistence = await peerPersistence(index, data.n, memory!.rawVectorBytes, memory!.indexBytes.total);
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
      eventLoop,
      persistence,
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

/** The peer's own save and load, timed as ours are (beside fs.readFile of its file and a plain write of as many bytes). */
async function peerPersistence(
  index: { save(file: string): void; loadCopy(file: string): void },
  n: number,
  rawBytes: number,
  memoryBytes: number,
): Promise<PersistenceResult> {
  const dir = mkdtempSync(join(tmpdir(), 'hnswlab-peer-'));
  try {
    const file = join(dir, 'index.bin');
    const s0 = performance.now();
    index.save(file);
    const saveSeconds = (performance.now() - s0) / 1000;
    const { size } = statSync(file);
    const readSeconds = await readFileSeconds(file);
    const l0 = performance.now();
    index.loadCopy(file);
    const loadSeconds = (performance.now() - l0) / 1000;
    return {
      fileBytes: size,
      bytesPerVector: size / n,
      fileToRawRatio: size / rawBytes,
      fileToMemoryRatio: size / memoryBytes,
      saveSeconds,
      loadSeconds,
      readFileSeconds: readSeconds,
      diskWriteSeconds: diskWriteSeconds(dir, size),
      saveSource: 'measured',
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
