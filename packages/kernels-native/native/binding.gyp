# Built by scripts/build.mjs (the package's build script), never by an install hook: this file sits
# in native/ rather than the package root so that package managers do not run node-gyp on install.
{
  "targets": [
    {
      "target_name": "hnswlab_native",
      "sources": [
        "src/addon.cc",
        "src/probe.cc",
        "src/code-probe.cc",
        "src/distance-code-scalar.cc",
        "src/distance-code-avx2.cc",
        "src/traversal-binding.cc",
        "src/traversal-insert.cc",
        "src/traversal-search.cc",
        "src/simd-dispatch.cc",
        "src/distance-scalar.cc",
        "src/distance-avx2.cc",
        "src/distance-avx512.cc"
      ],
      "include_dirs": ["<!@(node -p \"require('node-addon-api').include\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"],
      # -O3 without -march=native: one binary runs on every x86-64, the SIMD paths are chosen at
      # run time. No -ffast-math: the reduction order is fixed in the code, results are reproducible.
      "cflags_cc": ["-O3", "-std=c++17", "-fvisibility=hidden"],
      "cflags_cc!": ["-O2", "-std=gnu++17"],
      "cflags!": ["-O2"],
      "xcode_settings": {
        "OTHER_CPLUSPLUSFLAGS": ["-O3", "-std=c++17"],
        "GCC_OPTIMIZATION_LEVEL": "3"
      },
      "msvs_settings": { "VCCLCompilerTool": { "Optimization": 2 } }
    }
  ]
}
