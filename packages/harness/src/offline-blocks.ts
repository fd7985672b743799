import { datasetLabel } from './dataset-ids.js';
import type { MatrixBlock } from './matrix.js';

/**
 * The blocks to run when GloVe cannot be installed: a block with an `offline` stand-in takes it (its
 * datasets, dims and metric), and a note for the report says which blocks did and why. Blocks
 * without one keep GloVe, whose cells then say 'unavailable' with the install command.
 */
export function offlineBlocks(blocks: readonly MatrixBlock[], reason: string, notes: string[]): MatrixBlock[] {
  const swapped: string[] = [];
  const out = blocks.map((b) => {
    if (!b.offline || !b.datasets.includes('glove')) return b;
    const { offline, ...rest } = b;
    swapped.push(`${b.name} (${offline.datasets.map(datasetLabel).join(', ')} ${offline.dims.join('/')}-d, ${offline.metric})`);
    return { ...rest, ...offline };
  });
  if (swapped.length)
    notes.push(
      `Offline fallback: GloVe-100 could not be used (${reason}). These blocks ran on seeded synthetic data instead: ${[...new Set(swapped)].join('; ')}.`,
    );
  return out;
}
