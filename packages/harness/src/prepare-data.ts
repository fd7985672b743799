import type { Metric } from '@hnswlab/core';
import { datasetHash, loadDataset, type LoadedDataset } from '@hnswlab/datasets';
import { groundTruth, type GroundTruth } from './ground-truth.js';

/** A dataset with its hash and exact neighbours, ready for cells. */
export interface PreparedData {
  readonly data: LoadedDataset;
  readonly hash: string;
  readonly gt: GroundTruth;
}

export interface DataKey {
  dataset: string;
  n: number;
  dim: number;
  queries: number;
  seed: number;
  metric: Metric;
  k: number;
}

// Cells of a matrix share data: the last few prepared sets are kept (a 1M × 128 set is 512 MB, so few).
const KEEP = 2;
const memo = new Map<string, Promise<PreparedData>>();

/** Load (or reuse) a cell's dataset and its ground truth. */
export function prepareData(key: DataKey, onStage?: (stage: 'load' | 'groundTruth') => void): Promise<PreparedData> {
  const id = `${key.dataset}|${key.n}|${key.dim}|${key.queries}|${key.seed}|${key.metric}|${key.k}`;
  let p = memo.get(id);
  if (p) {
    memo.delete(id);
    memo.set(id, p);
    return p;
  }
  p = (async () => {
    onStage?.('load');
    const data = await loadDataset(key.dataset, { n: key.n, dim: key.dim, queries: key.queries, seed: key.seed });
    const hash = datasetHash(data.dim, data.base, data.queries);
    onStage?.('groundTruth');
    const gt = await groundTruth(data, hash, key.metric, key.k);
    return { data, hash, gt };
  })();
  memo.set(id, p);
  p.catch(() => memo.delete(id));
  while (memo.size > KEEP) memo.delete(memo.keys().next().value!);
  return p;
}

/** Drop every prepared dataset (frees memory between unrelated runs). */
export function clearPreparedData(): void {
  memo.clear();
}
