// A probe: one thread's batched distance calls over a store it addresses directly.
#pragma once

#include <napi.h>

namespace hnswlab {

/**
 * createProbe(path, formula, dim, ids, out, query32, query64) -> { bind(data), toRows(count), toRow(row), path }.
 * Caches the addresses of ids (Int32Array), out (Float32Array) and the query (Float32Array and
 * Float64Array holding the same values; l2 reads the first, dot the second) once; bind(data) points the
 * probe at a store (a Float32Array, usually over a SharedArrayBuffer) and is called again whenever
 * the store grows. No call copies vectors or allocates.
 */
Napi::Value CreateProbe(const Napi::CallbackInfo& info);

}  // namespace hnswlab
