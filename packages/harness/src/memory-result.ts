import type { IndexStats } from '@hnswlab/core';
import type { MemoryResult } from './cell-result.js';

/**
 * Memory figures from the index's own account, the process's peak resident set during the build, and
 * its growth across the build (kept in the JSON; a growth can be negative when the build frees
 * earlier garbage, so reports show the index bytes and the peak instead).
 */
export function memoryResult(
  stats: Pick<IndexStats, 'bytes'>,
  n: number,
  dim: number,
  before: NodeJS.MemoryUsage,
  after: NodeJS.MemoryUsage,
  gcForced: boolean,
  peak: { bytes: number; scope: 'interval' | 'process' },
): MemoryResult {
  const { vectors, graph, other } = stats.bytes;
  const total = vectors + graph + other;
  const raw = n * dim * 4;
  const rss = after.rss - before.rss;
  return {
    vectors: n,
    indexBytes: { vectors, graph, other, total },
    bytesPerVector: { vectors: vectors / n, graph: graph / n, other: other / n, total: total / n },
    rawVectorBytes: raw,
    indexToRawRatio: total / raw,
    peakRssBytes: peak.bytes,
    peakRssScope: peak.scope === 'interval' ? 'build' : 'process',
    rssBeforeBytes: before.rss,
    rssGrowthBytes: rss,
    externalGrowthBytes: after.external - before.external,
    arrayBuffersGrowthBytes: after.arrayBuffers - before.arrayBuffers,
    heapUsedGrowthBytes: after.heapUsed - before.heapUsed,
    rssToRawRatio: rss / raw,
    gcForced,
    indexBytesSource: 'stats',
  };
}
