import { coreSuite, kernelConformance, loadKernel, persistenceSuite } from '@hnswlab/conformance';
import { createKernel as createJsKernel } from '@hnswlab/kernels-js';
import { createKernel, SIMD_PATHS, supportedSimdPaths } from '@hnswlab/kernels-native';
import { it } from 'vitest';

// The path this CPU picks by itself runs everything; every other path it supports runs the distance
// conformance suite, so a machine with AVX-512 also checks the AVX2 and scalar code.
const load = loadKernel('native', () => createKernel());
kernelConformance('native (auto)', load);
coreSuite('native (auto)', load);
persistenceSuite('native (auto)', load, loadKernel('js', createJsKernel));

const { kernel } = await load;
const supported = kernel ? await supportedSimdPaths() : [];
for (const path of SIMD_PATHS) {
  if (kernel && path === supported[0]) continue;
  if (supported.includes(path)) {
    kernelConformance(
      `native-${path} (forced)`,
      loadKernel(`native-${path}`, () => createKernel({ simd: path })),
    );
  } else {
    const why = kernel
      ? `this CPU cannot run the ${path} path (it runs ${supported.join(', ')})`
      : 'the native addon is unavailable (see the warning above)';
    it.skip(`skipped: native-${path}: ${why}`, () => {});
  }
}
