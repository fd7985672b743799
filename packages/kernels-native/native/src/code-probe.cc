// The quantised stores' probe (see code-probe.h): probe.cc's shape over codes instead of float32 rows.
// Distances are code-distance.h's functions of the chosen path; a stored row as a query is copied
// (f16 decoded), so growth never leaves a query stale.
#include "code-probe.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "code-distance.h"
#include "half.h"
#include "napi-args.h"
#include "simd-dispatch.h"

namespace hnswlab {
namespace {

struct CodeProbeState {
  CodeOneFn one = nullptr;
  Store store = Store::F16;
  bool dot = false;
  int32_t dim = 0;
  int32_t maxBatch = 0;
  const int32_t* ids = nullptr;
  float* out = nullptr;
  CodeQuery query{nullptr, nullptr, nullptr, 0};
  CodeRows rows{nullptr, nullptr, 1, 0, 0, 0};
  int64_t rowCount = 0;
  // A stored row as the query of rowToRows / firstNearer, so the probe's own query is left as it was.
  std::vector<float> pair32;
  std::vector<double> pair64;
  std::vector<uint8_t> pairCodes;
  Napi::Reference<Napi::TypedArray> idsRef, outRef, query32Ref, query64Ref, queryCodesRef, codesRef, termsRef;
};

// Row `row` as a query: f16 decoded into both precisions, i8 and b1 codes copied (with i8's P).
void LoadRow(const CodeProbeState* p, int32_t row, float* q32, double* q64, uint8_t* codes, double* term) {
  const uint8_t* src = p->rows.codes + row * p->rows.codeBytes;
  if (p->store == Store::F16) {
    for (int32_t j = 0; j < p->dim; j++) {
      uint16_t h;
      std::memcpy(&h, src + 2 * j, 2);
      q32[j] = halfToFloat(h);
      q64[j] = q32[j];
    }
    return;
  }
  std::memcpy(codes, src, static_cast<size_t>(p->rows.codeBytes));
  *term = p->dot && p->store == Store::I8 ? p->rows.terms[row] : 0;
}

void Batch(const CodeProbeState* p, const CodeQuery& q, int32_t count) {
  const int64_t cb = p->rows.codeBytes;
  for (int32_t i = 0; i < count; i++) {
    // Two ids ahead, as batch-loop.h does for float32 rows: ids come from scattered link lists.
    if (i + 2 < count) __builtin_prefetch(p->rows.codes + p->ids[i + 2] * cb);
    p->out[i] = p->one(q, p->rows, p->ids[i], p->dim);
  }
}

napi_value ToRows(napi_env env, napi_callback_info info) {
  CodeProbeState* p;
  int32_t count;
  if (!ReadIndex(env, info, &p, &count, "toRows(count): count") || !CheckBatch(env, p->ids, p->maxBatch, p->rowCount, count, "toRows"))
    return nullptr;
  Batch(p, p->query, count);
  return nullptr;
}

napi_value ToRow(napi_env env, napi_callback_info info) {
  CodeProbeState* p;
  int32_t row;
  if (!ReadIndex(env, info, &p, &row, "toRow(row): row") || !CheckRow(env, p->rowCount, row, "toRow")) return nullptr;
  napi_value result;
  napi_create_double(env, p->one(p->query, p->rows, row, p->dim), &result);
  return result;
}

napi_value SetQueryRow(napi_env env, napi_callback_info info) {
  CodeProbeState* p;
  int32_t row;
  if (!ReadIndex(env, info, &p, &row, "setQueryRow(row): row") || !CheckRow(env, p->rowCount, row, "setQueryRow")) return nullptr;
  LoadRow(p, row, const_cast<float*>(p->query.f32), const_cast<double*>(p->query.f64), const_cast<uint8_t*>(p->query.codes), &p->query.p);
  return nullptr;
}

// setQuery(p): JavaScript has written an outside query (f16: float32, normalised; i8, b1: its codes);
// f16 widens it to float64 for dot, i8 keeps its P.
napi_value SetQuery(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value arg = nullptr;
  void* data = nullptr;
  napi_get_cb_info(env, info, &argc, &arg, nullptr, &data);
  auto* p = static_cast<CodeProbeState*>(data);
  double term = 0;
  if (argc < 1 || napi_get_value_double(env, arg, &term) != napi_ok) {
    napi_throw_type_error(env, nullptr, "setQuery(p): p must be a number");
    return nullptr;
  }
  p->query.p = term;
  if (p->store == Store::F16) {
    auto* q64 = const_cast<double*>(p->query.f64);
    for (int32_t j = 0; j < p->dim; j++) q64[j] = p->query.f32[j];
  }
  return nullptr;
}

bool ReadRowCall(napi_env env, napi_callback_info info, CodeProbeState** state, int32_t* row, int32_t* count, double* bound, const char* what) {
  if (!ReadRowArgs(env, info, state, row, count, bound, what)) return false;
  auto* p = *state;
  if (!CheckRow(env, p->rowCount, *row, what) || !CheckBatch(env, p->ids, p->maxBatch, p->rowCount, *count, what)) return false;
  return true;
}

CodeQuery LoadPair(CodeProbeState* p, int32_t row) {
  CodeQuery q{p->pair32.data(), p->pair64.data(), p->pairCodes.data(), 0};
  LoadRow(p, row, p->pair32.data(), p->pair64.data(), p->pairCodes.data(), &q.p);
  return q;
}

napi_value RowToRows(napi_env env, napi_callback_info info) {
  CodeProbeState* p;
  int32_t row, count;
  if (!ReadRowCall(env, info, &p, &row, &count, nullptr, "rowToRows(row, count)")) return nullptr;
  Batch(p, LoadPair(p, row), count);
  return nullptr;
}

napi_value FirstNearer(napi_env env, napi_callback_info info) {
  CodeProbeState* p;
  int32_t row, count;
  double bound;
  if (!ReadRowCall(env, info, &p, &row, &count, &bound, "firstNearer(row, count, bound)")) return nullptr;
  const CodeQuery q = LoadPair(p, row);
  const float limit = static_cast<float>(bound);
  int32_t i = 0;
  while (i < count && !(p->one(q, p->rows, p->ids[i], p->dim) < limit)) i++;
  napi_value result;
  napi_create_int32(env, i, &result);
  return result;
}

// bind(codes, terms, C, s, s2): the store after a growth or a new quantiser.
napi_value Bind(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value args[5] = {nullptr, nullptr, nullptr, nullptr, nullptr};
  void* data = nullptr;
  napi_get_cb_info(env, info, &argc, args, nullptr, &data);
  auto* p = static_cast<CodeProbeState*>(data);
  Napi::Env e(env);
  double C = 0, s = 0, s2 = 0;
  if (argc < 5 || !CheckArray(e, Napi::Value(env, args[0]), napi_uint8_array, 0, "bind", "codes (a Uint8Array)") ||
      !CheckArray(e, Napi::Value(env, args[1]), napi_float64_array, 0, "bind", "terms (a Float64Array)") ||
      napi_get_value_double(env, args[2], &C) != napi_ok || napi_get_value_double(env, args[3], &s) != napi_ok ||
      napi_get_value_double(env, args[4], &s2) != napi_ok) {
    if (!e.IsExceptionPending()) napi_throw_type_error(env, nullptr, "bind(codes, terms, C, s, s2): wrong arguments");
    return nullptr;
  }
  auto codes = Napi::TypedArray(env, args[0]), terms = Napi::TypedArray(env, args[1]);
  int64_t rows = static_cast<int64_t>(codes.ByteLength()) / p->rows.codeBytes;
  // i8 under a dot metric reads P per row: never past the terms it was given.
  if (p->store == Store::I8 && p->dot && static_cast<int64_t>(terms.ElementLength()) < rows) rows = static_cast<int64_t>(terms.ElementLength());
  p->rows.codes = typedArrayData<uint8_t>(codes);
  p->rows.terms = typedArrayData<double>(terms);
  p->rows.C = C;
  p->rows.s = s;
  p->rows.s2 = s2;
  p->rowCount = rows;
  p->codesRef = Napi::Reference<Napi::TypedArray>::New(codes, 1);
  p->termsRef = Napi::Reference<Napi::TypedArray>::New(terms, 1);
  return nullptr;
}

bool ParseStore(const std::string& name, Store* store, int64_t* codeBytes, int32_t dim) {
  if (name == "f16") *store = Store::F16, *codeBytes = 2 * static_cast<int64_t>(dim);
  else if (name == "i8") *store = Store::I8, *codeBytes = dim;
  else if (name == "b1") *store = Store::B1, *codeBytes = 4 * ((static_cast<int64_t>(dim) + 31) / 32);
  else return false;
  return true;
}

}  // namespace

Napi::Value CreateCodeProbe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* call = "createCodeProbe";
  SimdPath path;
  if (info.Length() < 9 || !info[0].IsString() || !parsePath(info[0].As<Napi::String>().Utf8Value(), &path)) {
    Napi::TypeError::New(env, "createCodeProbe(path, store, formula, dim, ids, out, query32, query64, queryCodes): path must be avx512, avx2 or scalar")
        .ThrowAsJavaScriptException();
    return env.Undefined();
  }
  if (!isSupported(path)) {
    Napi::Error::New(env, std::string("createCodeProbe: this CPU cannot run the ") + pathName(path) + " path").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  const int32_t dim = info[3].IsNumber() ? info[3].As<Napi::Number>().Int32Value() : 0;
  Store store;
  int64_t codeBytes = 0;
  const std::string formula = info[2].IsString() ? info[2].As<Napi::String>().Utf8Value() : "";
  if (dim < 1 || !info[1].IsString() || !ParseStore(info[1].As<Napi::String>().Utf8Value(), &store, &codeBytes, dim) ||
      (formula != "l2" && formula != "dot")) {
    Napi::TypeError::New(env, "createCodeProbe: store must be f16, i8 or b1, formula 'l2' or 'dot', dim an integer >= 1").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  if (!CheckArray(env, info[4], napi_int32_array, 0, call, "ids (an Int32Array)") ||
      !CheckArray(env, info[5], napi_float32_array, 0, call, "out (a Float32Array)") ||
      !CheckArray(env, info[6], napi_float32_array, static_cast<size_t>(dim), call, "query32 (a Float32Array of dim floats)") ||
      !CheckArray(env, info[7], napi_float64_array, static_cast<size_t>(dim), call, "query64 (a Float64Array of dim numbers)") ||
      !CheckArray(env, info[8], napi_uint8_array, static_cast<size_t>(codeBytes), call, "queryCodes (a Uint8Array of a row's code bytes)")) {
    return env.Undefined();
  }
  auto ids = info[4].As<Napi::TypedArray>(), out = info[5].As<Napi::TypedArray>();
  auto query32 = info[6].As<Napi::TypedArray>(), query64 = info[7].As<Napi::TypedArray>(), queryCodes = info[8].As<Napi::TypedArray>();

  auto* state = new CodeProbeState();
  const bool l2 = formula == "l2";
  // The avx512 path runs the AVX2 code for codes (see distance-code-avx2.cc); scalar where an
  // extension a store needs is missing.
#if defined(__x86_64__) || defined(__i386__)
  state->one = path == SimdPath::Scalar ? nullptr : avx2Code(store, l2);
#endif
  if (state->one == nullptr) state->one = scalarCode(store, l2);
  state->store = store;
  state->dot = !l2;
  state->dim = dim;
  state->rows.codeBytes = codeBytes;
  state->pair32.resize(static_cast<size_t>(dim));
  state->pair64.resize(static_cast<size_t>(dim));
  state->pairCodes.resize(static_cast<size_t>(codeBytes));
  state->maxBatch = static_cast<int32_t>(ids.ElementLength() < out.ElementLength() ? ids.ElementLength() : out.ElementLength());
  state->ids = typedArrayData<int32_t>(ids);
  state->out = typedArrayData<float>(out);
  state->query = {typedArrayData<float>(query32), typedArrayData<double>(query64), typedArrayData<uint8_t>(queryCodes), 0};
  state->idsRef = Napi::Reference<Napi::TypedArray>::New(ids, 1);
  state->outRef = Napi::Reference<Napi::TypedArray>::New(out, 1);
  state->query32Ref = Napi::Reference<Napi::TypedArray>::New(query32, 1);
  state->query64Ref = Napi::Reference<Napi::TypedArray>::New(query64, 1);
  state->queryCodesRef = Napi::Reference<Napi::TypedArray>::New(queryCodes, 1);

  Napi::Object handle = Napi::Object::New(env);
  handle.AddFinalizer([](Napi::Env, CodeProbeState* s) { delete s; }, state);
  AddMethod(env, handle, "toRows", ToRows, state);
  AddMethod(env, handle, "toRow", ToRow, state);
  AddMethod(env, handle, "bind", Bind, state);
  AddMethod(env, handle, "setQuery", SetQuery, state);
  AddMethod(env, handle, "setQueryRow", SetQueryRow, state);
  AddMethod(env, handle, "rowToRows", RowToRows, state);
  AddMethod(env, handle, "firstNearer", FirstNearer, state);
  handle.Set("path", Napi::String::New(env, pathName(path)));
  handle.Set("kernel", Napi::String::New(env, state->one == scalarCode(store, l2) ? "scalar" : "avx2"));
  return handle;
}

}  // namespace hnswlab
