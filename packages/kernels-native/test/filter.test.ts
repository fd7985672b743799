import { filterSuite, loadKernel } from '@hnswlab/conformance';
import { createKernel } from '@hnswlab/kernels-native';

// Filtered search in the native fused traversal (layer, insert) answers as the JavaScript traversal.
filterSuite(
  'native (auto)',
  loadKernel('native', () => createKernel()),
);
