// The per-probe state lives in C++ and is reached from each bound function's data pointer, so the
// hot calls (toRows, toRow) do no unwrap, no property lookup and no allocation: they read one
// argument, check it, and run the kernel. They use the C Node-API directly for that reason.
// The caller allocates ids, out and the query over SharedArrayBuffers, which cannot be detached
// (transferred away), so an address cached here stays valid while its reference is held.
#include "probe.h"

#include <cstdint>
#include <string>
#include <vector>

#include "napi-args.h"
#include "simd-dispatch.h"

namespace hnswlab {
namespace {

struct ProbeState {
  Kernels kernels{};
  int32_t dim = 0;
  int32_t maxBatch = 0;
  const int32_t* ids = nullptr;
  float* out = nullptr;
  Query query{nullptr, nullptr};
  const float* store = nullptr;
  int64_t rows = 0;
  // A stored row as the query of rowToRows / firstNearer, in both precisions, so the probe's own
  // query is left as it was.
  std::vector<float> pair32;
  std::vector<double> pair64;
  // Strong references: the cached addresses stay valid as long as the probe lives.
  Napi::Reference<Napi::TypedArray> idsRef, outRef, query32Ref, query64Ref, storeRef;
};

// A stored row into a query's two precisions (l2 reads the float32 copy, dot the float64 one). A copy,
// not a pointer, so growth of the store never leaves the query stale.
void CopyRow(const ProbeState* p, int32_t row, float* q32, double* q64) {
  const float* src = p->store + static_cast<int64_t>(row) * p->dim;
  for (int32_t j = 0; j < p->dim; j++) {
    q32[j] = src[j];
    q64[j] = src[j];
  }
}

napi_value ToRows(napi_env env, napi_callback_info info) {
  ProbeState* p;
  int32_t count;
  if (!ReadIndex(env, info, &p, &count, "toRows(count): count") || !CheckBatch(env, p->ids, p->maxBatch, p->rows, count, "toRows")) return nullptr;
  p->kernels.batch(p->query, p->store, p->ids, p->out, count, p->dim);
  return nullptr;
}

napi_value ToRow(napi_env env, napi_callback_info info) {
  ProbeState* p;
  int32_t row;
  if (!ReadIndex(env, info, &p, &row, "toRow(row): row") || !CheckRow(env, p->rows, row, "toRow")) return nullptr;
  napi_value result;
  napi_create_double(env, p->kernels.one(p->query, p->store + static_cast<int64_t>(row) * p->dim, p->dim), &result);
  return result;
}

// The query row is copied here rather than in JavaScript: the neighbour-selection heuristic sets a
// new stored row as the query once per candidate, and a dim-long JS loop per call cost more than
// the distances it served (43% of a 768-d build).
napi_value SetQueryRow(napi_env env, napi_callback_info info) {
  ProbeState* p;
  int32_t row;
  if (!ReadIndex(env, info, &p, &row, "setQueryRow(row): row") || !CheckRow(env, p->rows, row, "setQueryRow")) return nullptr;
  CopyRow(p, row, const_cast<float*>(p->query.f32), const_cast<double*>(p->query.f64));
  return nullptr;
}

// Reads (row, count[, bound]), checks them, and loads the row into the pair query, so the probe's
// own query is left as it was.
bool ReadRowCall(napi_env env, napi_callback_info info, ProbeState** state, int32_t* row, int32_t* count, double* bound, const char* what) {
  if (!ReadRowArgs(env, info, state, row, count, bound, what)) return false;
  auto* p = *state;
  if (!CheckRow(env, p->rows, *row, what) || !CheckBatch(env, p->ids, p->maxBatch, p->rows, *count, what)) return false;
  CopyRow(p, *row, p->pair32.data(), p->pair64.data());
  return true;
}

napi_value RowToRows(napi_env env, napi_callback_info info) {
  ProbeState* p;
  int32_t row, count;
  if (!ReadRowCall(env, info, &p, &row, &count, nullptr, "rowToRows(row, count)")) return nullptr;
  p->kernels.batch(Query{p->pair32.data(), p->pair64.data()}, p->store, p->ids, p->out, count, p->dim);
  return nullptr;
}

// The neighbour heuristic's scan: stops at the first row nearer than the bound, inside the addon.
napi_value FirstNearer(napi_env env, napi_callback_info info) {
  ProbeState* p;
  int32_t row, count;
  double bound;
  if (!ReadRowCall(env, info, &p, &row, &count, &bound, "firstNearer(row, count, bound)")) return nullptr;
  const Query q{p->pair32.data(), p->pair64.data()};
  const float limit = static_cast<float>(bound);
  int32_t i = 0;
  for (; i < count; i++) {
    if (p->kernels.one(q, p->store + static_cast<int64_t>(p->ids[i]) * p->dim, p->dim) < limit) break;
  }
  napi_value result;
  napi_create_int32(env, i, &result);
  return result;
}

napi_value Bind(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value arg = nullptr;
  void* data = nullptr;
  napi_get_cb_info(env, info, &argc, &arg, nullptr, &data);
  auto* p = static_cast<ProbeState*>(data);
  bool isTyped = false;
  napi_typedarray_type type = napi_int8_array;
  size_t length = 0;
  void* address = nullptr;
  if (argc >= 1) napi_is_typedarray(env, arg, &isTyped);
  if (isTyped) napi_get_typedarray_info(env, arg, &type, &length, &address, nullptr, nullptr);
  if (!isTyped || type != napi_float32_array) {
    napi_throw_type_error(env, nullptr, "bind(data): data must be a Float32Array");
    return nullptr;
  }
  p->store = static_cast<const float*>(address);
  p->rows = static_cast<int64_t>(length / static_cast<size_t>(p->dim));
  p->storeRef = Napi::Reference<Napi::TypedArray>::New(Napi::TypedArray(env, arg), 1);
  return nullptr;
}

}  // namespace

Napi::Value CreateProbe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  SimdPath path;
  if (info.Length() < 7 || !info[0].IsString() || !parsePath(info[0].As<Napi::String>().Utf8Value(), &path)) {
    Napi::TypeError::New(env, "createProbe(path, formula, dim, ids, out, query32, query64): path must be avx512, avx2 or scalar").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  if (!isSupported(path)) {
    Napi::Error::New(env, std::string("createProbe: this CPU cannot run the ") + pathName(path) + " path").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  const std::string formula = info[1].IsString() ? info[1].As<Napi::String>().Utf8Value() : "";
  if (formula != "l2" && formula != "dot") {
    Napi::TypeError::New(env, "createProbe: formula must be 'l2' or 'dot'").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  const int32_t dim = info[2].IsNumber() ? info[2].As<Napi::Number>().Int32Value() : 0;
  if (dim < 1) {
    Napi::RangeError::New(env, "createProbe: dim must be an integer >= 1").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  if (!CheckArray(env, info[3], napi_int32_array, 0, "createProbe", "ids (an Int32Array)") ||
      !CheckArray(env, info[4], napi_float32_array, 0, "createProbe", "out (a Float32Array)") ||
      !CheckArray(env, info[5], napi_float32_array, static_cast<size_t>(dim), "createProbe", "query32 (a Float32Array of dim floats)") ||
      !CheckArray(env, info[6], napi_float64_array, static_cast<size_t>(dim), "createProbe", "query64 (a Float64Array of dim numbers)")) {
    return env.Undefined();
  }
  auto ids = info[3].As<Napi::TypedArray>(), out = info[4].As<Napi::TypedArray>();
  auto query32 = info[5].As<Napi::TypedArray>(), query64 = info[6].As<Napi::TypedArray>();

  auto* state = new ProbeState();
  state->kernels = kernelsFor(path, formula == "l2" ? Formula::L2 : Formula::Dot);
  state->dim = dim;
  state->pair32.resize(static_cast<size_t>(dim));
  state->pair64.resize(static_cast<size_t>(dim));
  state->maxBatch = static_cast<int32_t>(ids.ElementLength() < out.ElementLength() ? ids.ElementLength() : out.ElementLength());
  state->ids = typedArrayData<int32_t>(ids);
  state->out = typedArrayData<float>(out);
  state->query = {typedArrayData<float>(query32), typedArrayData<double>(query64)};
  state->idsRef = Napi::Reference<Napi::TypedArray>::New(ids, 1);
  state->outRef = Napi::Reference<Napi::TypedArray>::New(out, 1);
  state->query32Ref = Napi::Reference<Napi::TypedArray>::New(query32, 1);
  state->query64Ref = Napi::Reference<Napi::TypedArray>::New(query64, 1);

  Napi::Object handle = Napi::Object::New(env);
  handle.AddFinalizer([](Napi::Env, ProbeState* s) { delete s; }, state);
  AddMethod(env, handle, "toRows", ToRows, state);
  AddMethod(env, handle, "toRow", ToRow, state);
  AddMethod(env, handle, "bind", Bind, state);
  AddMethod(env, handle, "setQueryRow", SetQueryRow, state);
  AddMethod(env, handle, "rowToRows", RowToRows, state);
  AddMethod(env, handle, "firstNearer", FirstNearer, state);
  handle.Set("path", Napi::String::New(env, pathName(path)));
  return handle;
}

}  // namespace hnswlab
