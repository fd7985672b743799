import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where hnswlab caches ground truth, converted datasets and on-demand downloads: $HNSWLAB_CACHE, else
 * $XDG_CACHE_HOME/hnswlab, else ~/.cache/hnswlab. Outside the workspace, so installs and git never see it.
 */
export function cacheDir(): string {
  if (process.env.HNSWLAB_CACHE) return process.env.HNSWLAB_CACHE;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'hnswlab');
}
