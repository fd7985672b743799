export { boundarySuite } from './boundary-suite.js';
export { filterSuite } from './filter-suite.js';
export { modelSuite } from './model-suite.js';
export { persistenceSuite } from './persistence-suite.js';
export { coreSuite, meanRecall } from './core-suite.js';
export { kernelConformance, CONFORMANCE_DIMS } from './kernel-conformance.js';
export { loadKernel, type KernelLoad } from './load-kernel.js';
export { recallByDistance } from './recall.js';
export { closeToReference, referenceDistance, referenceTolerance } from './reference.js';
