// Run-time dispatch: the binary is compiled for the baseline ISA and asks the CPU once which
// extensions it has. __builtin_cpu_supports also checks that the OS saves the wider registers
// (XCR0), so a path listed here can run.
#include "simd-dispatch.h"

namespace hnswlab {

std::vector<SimdPath> supportedPaths() {
  std::vector<SimdPath> paths;
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) paths.push_back(SimdPath::Avx512);
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) paths.push_back(SimdPath::Avx2);
#endif
  paths.push_back(SimdPath::Scalar);
  return paths;
}

const char* pathName(SimdPath path) {
  switch (path) {
    case SimdPath::Avx512:
      return "avx512";
    case SimdPath::Avx2:
      return "avx2";
    case SimdPath::Scalar:
      return "scalar";
  }
  return "scalar";
}

bool parsePath(const std::string& name, SimdPath* path) {
  for (SimdPath p : {SimdPath::Avx512, SimdPath::Avx2, SimdPath::Scalar}) {
    if (name == pathName(p)) {
      *path = p;
      return true;
    }
  }
  return false;
}

bool isSupported(SimdPath path) {
  for (SimdPath p : supportedPaths()) {
    if (p == path) return true;
  }
  return false;
}

Kernels kernelsFor(SimdPath path, Formula formula) {
  switch (path) {
#if defined(__x86_64__) || defined(__i386__)
    case SimdPath::Avx512:
      return avx512Kernels(formula);
    case SimdPath::Avx2:
      return avx2Kernels(formula);
#endif
    default:
      return scalarKernels(formula);
  }
}

}  // namespace hnswlab
