import type { MetricSpec } from '../contracts.js';
import { dotTolerance, oneMinusDot } from './ip.js';

/** Cosine distance: 1 − a·b over vectors the space scales to unit length on write (queries too). */
export const cosine: MetricSpec = {
  name: 'cosine',
  normalise: true,
  reference: oneMinusDot,
  tolerance: dotTolerance,
};
