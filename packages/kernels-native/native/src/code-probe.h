// A probe over a quantised store's codes (f16, i8, b1): one thread's batched distance calls.
#pragma once

#include <napi.h>

namespace hnswlab {

/**
 * createCodeProbe(path, store, formula, dim, ids, out, query32, query64, queryCodes) ->
 * { bind(codes, terms, C, s, s2), setQuery(p), setQueryRow(row), toRows, toRow, rowToRows, firstNearer, path }.
 * The query lives in query32/query64 (f16) or queryCodes (i8, b1), written by JavaScript (an outside
 * query, encoded there by the store's own encoder) or here (setQueryRow). bind points the probe at
 * the codes (a Uint8Array), i8's P per row (a Float64Array) and the quantiser's C, s, s², again after
 * every growth.
 */
Napi::Value CreateCodeProbe(const Napi::CallbackInfo& info);

}  // namespace hnswlab
