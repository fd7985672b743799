import type { Metric } from '@hnswlab/core/contracts';
import { DotProbe, L2Probe } from './scalar-probes.js';
import type { ProbeFactory } from './shared-f32-space.js';

// The js kernel's metrics: one probe factory per name. A metric is one MetricSpec registered with the
// core (registerMetric) plus one factory here; the float32 store computes any metric listed here,
// the quantised stores compute the three built in.
const factories = new Map<string, ProbeFactory>([
  ['l2', (space, maxBatch) => new L2Probe(space, maxBatch)],
  ['ip', (space, maxBatch) => new DotProbe(space, maxBatch)],
  ['cosine', (space, maxBatch) => new DotProbe(space, maxBatch)],
]);

/** Give the js kernel a metric: `make` returns a probe (usually a ScalarProbe subclass) over a space's rows. */
export function registerJsMetric(name: Metric, make: ProbeFactory): void {
  if (typeof make !== 'function') throw new TypeError(`registerJsMetric('${name}'): needs a probe factory`);
  const existing = factories.get(name);
  if (existing && existing !== make) throw new Error(`the js kernel already computes a metric named '${name}'`);
  factories.set(name, make);
}

/** The metrics the js kernel computes, in registration order. */
export function jsMetrics(): Metric[] {
  return [...factories.keys()];
}

export function probeFactory(metric: Metric): ProbeFactory {
  const make = factories.get(metric);
  if (!make) throw new RangeError(`the js kernel does not compute metric '${metric}' (it computes ${jsMetrics().join(', ')})`);
  return make;
}
