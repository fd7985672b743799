import { boundarySuite, coreSuite, kernelConformance, loadKernel } from '@hnswlab/conformance';
import { createKernel } from '@hnswlab/kernels-js';

const load = loadKernel('js', createKernel);
kernelConformance('js', load);
coreSuite('js', load);
boundarySuite('js', load);
