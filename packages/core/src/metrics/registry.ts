import type { Metric, MetricSpec } from '../contracts.js';
import { cosine } from './cosine.js';
import { ip } from './ip.js';
import { l2 } from './l2.js';

// The one list of metrics. Kernels implement them by name (DistanceKernel.metrics); the conformance
// suite, the harness and the gate read this list.
const registry = new Map<string, MetricSpec>([l2, ip, cosine].map((m) => [m.name, m]));

/** Add a metric (then give each kernel that should compute it an implementation under the same name). */
export function registerMetric(spec: MetricSpec): void {
  if (!spec || typeof spec.name !== 'string' || !/^[a-z][a-z0-9-]*$/.test(spec.name)) {
    throw new TypeError('a metric needs a lower-case name, normalise, reference() and tolerance()');
  }
  if (typeof spec.reference !== 'function' || typeof spec.tolerance !== 'function' || typeof spec.normalise !== 'boolean') {
    throw new TypeError(`metric '${spec.name}' needs normalise (boolean), reference() and tolerance()`);
  }
  const existing = registry.get(spec.name);
  if (existing && existing !== spec) throw new Error(`a different metric named '${spec.name}' is already registered`);
  registry.set(spec.name, spec);
}

/** Every registered metric's name. */
export function listMetrics(): Metric[] {
  return [...registry.keys()];
}

/** A metric's definition; a RangeError naming the known ones for anything else. */
export function metricSpec(name: unknown): MetricSpec {
  const spec = typeof name === 'string' ? registry.get(name) : undefined;
  if (!spec) throw new TypeError(`unknown metric ${JSON.stringify(name)}: use one of ${listMetrics().join(', ')}`);
  return spec;
}
