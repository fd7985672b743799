import { metricSpec, type Metric } from '@hnswlab/core';

// The conformance reference is the metric's own definition in @hnswlab/core (MetricSpec): one source
// for every metric, built-in or registered.

/** The float64 reference distance between two stored rows (as the space holds them). */
export function referenceDistance(metric: Metric, a: Float32Array, b: Float32Array): number {
  return metricSpec(metric).reference(a, b);
}

/** The largest error a float32 kernel may make on this pair (MetricSpec.tolerance). */
export function referenceTolerance(metric: Metric, a: Float32Array, b: Float32Array): number {
  const spec = metricSpec(metric);
  return spec.tolerance(a, b, spec.reference(a, b));
}

/** Within 1e-5 relative or 1e-6 absolute of the reference, or within `tolerance` (from `referenceTolerance`). */
export function closeToReference(actual: number, expected: number, tolerance = 0): boolean {
  const abs = Math.abs(actual - expected);
  return abs <= 1e-6 || abs <= 1e-5 * Math.abs(expected) || abs <= tolerance;
}
