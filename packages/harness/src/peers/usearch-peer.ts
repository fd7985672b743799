import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Metric } from '@hnswlab/core';
import type { Peer, PeerBuildOptions, PeerIndex } from './peer.js';

interface UsearchModule {
  Index: new (config: {
    dimensions: number;
    metric: string;
    connectivity: number;
    expansion_add: number;
    expansion_search: number;
    multi?: boolean;
  }) => UsearchIndex;
}
interface UsearchIndex {
  add(keys: BigUint64Array, vectors: Float32Array, threads?: number): void;
  search(query: Float32Array, k: number, threads: number): { keys: BigUint64Array; distances: Float32Array };
  save(path: string): void;
  load(path: string): void;
}

const METRIC: Record<Metric, string> = { l2: 'l2sq', ip: 'ip', cosine: 'cos' };

/**
 * usearch (C++ with SIMD, multi-threaded add). Its JS API sets the search beam only at construction,
 * so the ef sweep saves the built index once and loads it into an index configured with each ef.
 * Search runs on one thread, like ours; its batch search (the whole query set in one call) on the
 * threads it built with.
 */
export function usearchPeer(mod: UsearchModule, version: string): Peer {
  return {
    name: 'usearch',
    version,
    maxThreads: Infinity,
    build(base: Float32Array, n: number, o: PeerBuildOptions): PeerIndex {
      const config = (ef: number) => ({
        dimensions: o.dim,
        metric: METRIC[o.metric],
        connectivity: o.M,
        expansion_add: o.efConstruction,
        expansion_search: ef,
        multi: false,
      });
      let index = new mod.Index(config(64));
      const keys = new BigUint64Array(n);
      for (let i = 0; i < n; i++) keys[i] = BigInt(i);
      index.add(keys, base.subarray(0, n * o.dim), o.threads);
      let dir: string | undefined;
      const saved = () => {
        if (!dir) {
          dir = mkdtempSync(join(tmpdir(), 'hnswlab-peer-'));
          index.save(join(dir, 'index.usearch'));
        }
        return join(dir, 'index.usearch');
      };
      return {
        setEf(ef) {
          const file = saved();
          index = new mod.Index(config(ef));
          index.load(file);
        },
        search: (query, k) => index.search(query, k, 1),
        // a flat Float32Array of n·dim is n queries to usearch: its BatchMatches has k distances per query
        searchBatch: (queries, k, threads) => ({ distances: index.search(queries, k, threads).distances }),
        bytes: () => statSync(saved()).size,
        save: (file) => index.save(file),
        loadCopy(file) {
          new mod.Index(config(64)).load(file);
        },
        dispose() {
          if (dir) rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  };
}
