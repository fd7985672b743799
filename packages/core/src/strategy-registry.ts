import type { InsertStrategy } from './contracts.js';
import { batched } from './strategies/batched.js';
import { sequential } from './strategies/sequential.js';

// Strategies addBatch() can find by name. The core registers its own two; other packages register
// theirs (one line each). This is the one list of strategy names: help texts and the lab read it.
const registry = new Map<string, InsertStrategy>([
  [sequential.name, sequential],
  [batched.name, batched],
]);

/** Make a strategy selectable by name in addBatch(). Re-registering the same object is a no-op. */
export function registerStrategy(strategy: InsertStrategy): void {
  if (!strategy || typeof strategy.name !== 'string' || typeof strategy.link !== 'function') {
    throw new TypeError('a strategy needs a name and a link(build, options) function');
  }
  const existing = registry.get(strategy.name);
  if (existing && existing !== strategy) throw new Error(`a different strategy named '${strategy.name}' is already registered`);
  registry.set(strategy.name, strategy);
}

export function listStrategies(): string[] {
  return [...registry.keys()];
}

/** A registered strategy by name, or a strategy object as given. */
export function resolveStrategy(strategy: string | InsertStrategy): InsertStrategy {
  if (typeof strategy !== 'string') {
    if (!strategy || typeof strategy.link !== 'function') throw new TypeError('strategy must be a name or an object with link()');
    return strategy;
  }
  const found = registry.get(strategy);
  if (!found) {
    throw new RangeError(
      `unknown strategy '${strategy}': registered are ${listStrategies().join(', ')} (import '@hnswlab/strategies' and call registerAll() for parallel, segmented and rounds)`,
    );
  }
  return found;
}
