import { boundarySuite, coreSuite, kernelConformance, loadKernel, persistenceSuite } from '@hnswlab/conformance';
import { createKernel } from '@hnswlab/kernels-js';

const load = loadKernel('js', createKernel);
kernelConformance('js', load);
coreSuite('js', load);
boundarySuite('js', load);
persistenceSuite('js', load, load);
