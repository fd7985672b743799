import { listStrategies } from '@hnswlab/core';
import { importOptional } from './import-optional.js';
import { PRESETS } from './presets.js';
import { UsageError } from './usage-error.js';

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

/**
 * Refuse strategy names that are neither registered nor part of a preset, naming the known ones. A
 * preset's strategy whose package did not load is kept: its row says why it is unavailable.
 */
export async function checkStrategyNames(names: readonly string[]): Promise<void> {
  const why = await loadStrategies();
  const known = new Set([...listStrategies(), ...Object.values(PRESETS).flatMap((p) => p.blocks.flatMap((b) => b.strategies))]);
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length)
    throw new UsageError(
      `unknown strategy '${unknown[0]}' (known: ${[...known].join(', ')}${why ? `; @hnswlab/strategies did not load: ${why}` : ''})`,
    );
}
