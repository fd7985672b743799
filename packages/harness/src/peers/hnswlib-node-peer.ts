import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Peer, PeerBuildOptions, PeerIndex } from './peer.js';

interface HnswlibModule {
  HierarchicalNSW: new (space: 'l2' | 'ip' | 'cosine', dim: number) => HnswlibIndex;
}
interface HnswlibIndex {
  initIndex(maxElements: number, m?: number, efConstruction?: number, randomSeed?: number): void;
  addPoint(point: number[], label: number): void;
  searchKnn(query: number[], k: number): { distances: number[]; neighbors: number[] };
  setEf(ef: number): void;
  writeIndexSync(file: string): void;
  readIndexSync(file: string, allowReplaceDeleted?: boolean): boolean;
}

/**
 * hnswlib-node (C++ hnswlib, single-threaded binding). Its API takes plain JS arrays, so every vector
 * is converted per call, inside the timing: that is what a user of it pays. Metrics match ours
 * ('l2' squared, 'ip' 1 − dot, 'cosine' normalised 1 − dot).
 */
export function hnswlibNodePeer(mod: HnswlibModule, version: string): Peer {
  return {
    name: 'hnswlib-node',
    version,
    maxThreads: 1,
    build(base: Float32Array, n: number, o: PeerBuildOptions): PeerIndex {
      const dim = o.dim;
      const metric = o.metric as 'l2' | 'ip' | 'cosine';
      if (!['l2', 'ip', 'cosine'].includes(metric)) throw new Error(`hnswlib-node has no metric '${o.metric}'`);
      const index = new mod.HierarchicalNSW(metric, dim);
      index.initIndex(n, o.M, o.efConstruction, o.seed);
      const row = new Array<number>(dim);
      for (let i = 0; i < n; i++) {
        const off = i * dim;
        for (let j = 0; j < dim; j++) row[j] = base[off + j];
        index.addPoint(row, i);
      }
      const q = new Array<number>(dim);
      return {
        setEf: (ef) => index.setEf(ef),
        search(query, k) {
          for (let j = 0; j < dim; j++) q[j] = query[j];
          return index.searchKnn(q, k);
        },
        save: (file) => index.writeIndexSync(file),
        loadCopy(file) {
          new mod.HierarchicalNSW(metric, dim).readIndexSync(file);
        },
        bytes() {
          const dir = mkdtempSync(join(tmpdir(), 'hnswlab-peer-'));
          try {
            const file = join(dir, 'index.bin');
            index.writeIndexSync(file);
            return statSync(file).size;
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        },
        dispose() {},
      };
    },
  };
}
