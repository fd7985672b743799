// The fused traversal's N-API surface.
#pragma once

#include <napi.h>

namespace hnswlab {

/**
 * createTraversal(config, query32, query64, entries, state) -> a handle with bindGraph, bindStore,
 * bindResults, setQueryRow, distance, descend, searchLayer, searchLayerFrom, search, insert,
 * scratchBytes and release. config: { path, formula, dim, M, efConstruction, locking, timing,
 * prefetch, rowOffset }. The query (float32 and float64), entries (Int32Array) and state
 * (Float64Array: the counters, then bestDist) are allocated once by the caller over
 * SharedArrayBuffers; their addresses are cached, as are those of the graph's regions, the store and
 * the result buffers, each re-bound by the caller when it moves.
 */
Napi::Value CreateTraversal(const Napi::CallbackInfo& info);

}  // namespace hnswlab
