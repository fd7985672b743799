import { listStrategies } from '@hnswlab/core';
import { importOptional } from './import-optional.js';

let loaded: Promise<string | undefined> | undefined;

/**
 * Register the strategies of @hnswlab/strategies (parallel, segmented, rounds) when that package
 * loads. Resolves to undefined on success, or to the reason it is unavailable; core's sequential and
 * batched are always there. Runs once per process.
 */
export function loadStrategies(): Promise<string | undefined> {
  loaded ??= (async () => {
    try {
      const mod = await importOptional<{ registerAll?: () => void }>('@hnswlab/strategies');
      if (typeof mod.registerAll !== 'function') return '@hnswlab/strategies exports no registerAll()';
      mod.registerAll();
      return undefined;
    } catch (err) {
      return (err as Error).message.replace(/^unavailable: /, '');
    }
  })();
  return loaded;
}

/** Why `name` cannot be used, or undefined when it is registered (after loading @hnswlab/strategies). */
export async function strategyUnavailable(name: string): Promise<string | undefined> {
  const why = await loadStrategies();
  if (listStrategies().includes(name)) return undefined;
  return `strategy '${name}' is not registered (registered: ${listStrategies().join(', ')})${why ? `; @hnswlab/strategies: ${why}` : ''}`;
}
