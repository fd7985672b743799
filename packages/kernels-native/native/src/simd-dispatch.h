// Which SIMD paths this CPU can run, and the kernels of each.
#pragma once

#include <string>
#include <vector>

#include "distance.h"

namespace hnswlab {

enum class SimdPath { Avx512, Avx2, Scalar };

/** The paths the CPU (and OS) support, fastest first; always ends with Scalar. */
std::vector<SimdPath> supportedPaths();
const char* pathName(SimdPath path);
/** Parses `avx512`, `avx2` or `scalar`; false for anything else. */
bool parsePath(const std::string& name, SimdPath* path);
bool isSupported(SimdPath path);
Kernels kernelsFor(SimdPath path, Formula formula);

}  // namespace hnswlab
