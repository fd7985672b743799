import { STORES, type VectorStore } from '@hnswlab/core';
import { KERNEL_NAMES } from '@hnswlab/lab-kit';

// Colours and marker shapes of the HTML report. Okabe & Ito's palette ("Color Universal Design",
// 2008) stays distinguishable under the common colour-vision deficiencies; every series also gets
// a marker shape, so no chart depends on colour alone. Yellow (#F0E442) is left out: it vanishes on white.

/** Okabe–Ito, without yellow, in the order series take them. */
export const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#D55E00', '#56B4E9', '#000000'] as const;

/** Marker shapes, in the order series take them. */
export const MARKERS = ['circle', 'square', 'triangle', 'diamond', 'cross', 'plus'] as const;
export type Marker = (typeof MARKERS)[number];

/** Peers are grey and dashed in every chart: the reference, not a competitor's colour. */
export const PEER_COLOR = '#555555';

// Fixed slots for the names the lab ships, so a strategy (or kernel) has one colour in every panel and every report.
const STRATEGY_SLOTS = ['sequential', 'batched', 'parallel', 'segmented', 'rounds'];
const KERNEL_SLOTS: readonly string[] = KERNEL_NAMES;

function slot(name: string, fixed: readonly string[], seen: string[]): number {
  const i = fixed.indexOf(name);
  if (i >= 0) return i;
  if (!seen.includes(name)) seen.push(name);
  return fixed.length + seen.indexOf(name);
}

const otherStrategies: string[] = [];
const otherKernels: string[] = [];

/** The colour and marker of a strategy, the same in every panel. */
export function strategyStyle(name: string): { color: string; marker: Marker } {
  const i = slot(name, STRATEGY_SLOTS, otherStrategies);
  return { color: OKABE_ITO[i % OKABE_ITO.length], marker: MARKERS[i % MARKERS.length] };
}

/** The colour and marker of a kernel, for charts whose series are kernels (dimension curve, single-strategy panels). */
export function kernelStyle(name: string): { color: string; marker: Marker } {
  const i = slot(name, KERNEL_SLOTS, otherKernels);
  // kernels take the palette from its other end, so a kernel chart never reads as a strategy chart
  return { color: OKABE_ITO[(OKABE_ITO.length - 2 - i + OKABE_ITO.length) % OKABE_ITO.length], marker: MARKERS[i % MARKERS.length] };
}

const BOUNDARY_SLOTS = ['pair', 'node', 'layer', 'insert'];

/** The colour of a boundary (recall panels of the boundary axis: a panel per kernel, a colour per boundary, a marker per strategy). */
export function boundaryStyle(name: string): { color: string } {
  const i = BOUNDARY_SLOTS.indexOf(name);
  return { color: OKABE_ITO[(i < 0 ? BOUNDARY_SLOTS.length : i) % OKABE_ITO.length] };
}

/** The colour of a store (the precision section's charts: a colour per store, in STORES order). */
export function storeStyle(name: string): { color: string; marker: Marker } {
  const i = STORES.indexOf(name as VectorStore);
  const at = i < 0 ? STORES.length : i;
  return { color: OKABE_ITO[at % OKABE_ITO.length], marker: MARKERS[at % MARKERS.length] };
}
