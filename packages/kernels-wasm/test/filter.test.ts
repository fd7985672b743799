import { filterSuite, loadKernel } from '@hnswlab/conformance';
import { createKernel } from '@hnswlab/kernels-wasm';

// Filtered search in the wasm fused traversal (layer, insert) answers as the JavaScript traversal.
filterSuite(
  'wasm',
  loadKernel('wasm', () => createKernel()),
);
