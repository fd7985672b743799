import { boundarySuite, loadKernel } from '@hnswlab/conformance';
import { createKernel } from '@hnswlab/kernels-native';

// Every boundary of the native kernel (pair, node, and the fused layer and insert) builds the
// byte-identical graph and answers identically, for every metric, a growing store, tombstones and a
// seeded merge.
boundarySuite(
  'native (auto)',
  loadKernel('native', () => createKernel()),
);
