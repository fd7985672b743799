// N-API surface of the fused traversal. As in probe.cc, the hot calls (one per layer search or per
// insert) use the C Node-API with the state in each function's data pointer: read the arguments,
// check them, run, add the work counted into the shared state array, and throw if the call failed.
// Every cached address is of a typed array over a SharedArrayBuffer (which cannot be detached),
// held by a strong reference for as long as it is bound. The one exception is the filter: the
// caller's Uint32Array, over any buffer, used in place; it is held while set and its address and
// length are read again before each search, so a buffer detached (or shrunk) meanwhile is never read.
#include "traversal-binding.h"

#include <cstdint>
#include <memory>
#include <string>

#include "simd-dispatch.h"
#include "traversal.h"

namespace hnswlab {
namespace {

constexpr int32_t kMaxLevel = 31;
// The words of a set filter that has none (an empty array, a detached buffer): nothing is allowed.
constexpr uint32_t kNoWords[1] = {0};

struct Binding {
  std::unique_ptr<Traversal> traversal;
  int32_t dim = 0;
  int32_t stride0 = 0;
  int32_t M = 0;
  Napi::Reference<Napi::Value> query32, query64, entries, state, rows, dists, store, filter;
  Napi::Reference<Napi::Value> graph[9];
};

// The view's address and length if it is a typed array of `type`; otherwise a TypeError naming it.
bool View(napi_env env, napi_value value, napi_typedarray_type type, size_t minLength, void** data, size_t* length, const std::string& what) {
  bool isTyped = false;
  napi_typedarray_type actual = napi_int8_array;
  if (value != nullptr) napi_is_typedarray(env, value, &isTyped);
  if (isTyped) napi_get_typedarray_info(env, value, &actual, length, data, nullptr, nullptr);
  if (!isTyped || actual != type) {
    napi_throw_type_error(env, nullptr, (what + " has the wrong type").c_str());
    return false;
  }
  if (*length < minLength) {
    napi_throw_range_error(env, nullptr, (what + " is too short: " + std::to_string(*length) + " < " + std::to_string(minLength)).c_str());
    return false;
  }
  return true;
}

// Reads up to 6 arguments and the binding; false (with a TypeError thrown) when fewer than `need`
// were given or the traversal was released.
bool Args(napi_env env, napi_callback_info info, size_t need, napi_value* args, Binding** binding, const char* what) {
  size_t argc = 6;
  void* data = nullptr;
  napi_get_cb_info(env, info, &argc, args, nullptr, &data);
  *binding = static_cast<Binding*>(data);
  if ((*binding)->traversal == nullptr) {
    napi_throw_error(env, nullptr, (std::string(what) + ": this traversal was disposed").c_str());
    return false;
  }
  if (argc < need) {
    napi_throw_type_error(env, nullptr, (std::string(what) + ": expected " + std::to_string(need) + " arguments").c_str());
    return false;
  }
  return true;
}

bool Int(napi_env env, napi_value v, int32_t* out, const char* what) {
  double d;
  if (napi_get_value_double(env, v, &d) != napi_ok || d != static_cast<double>(static_cast<int32_t>(d))) {
    napi_throw_type_error(env, nullptr, (std::string(what) + " must be an int32").c_str());
    return false;
  }
  *out = static_cast<int32_t>(d);
  return true;
}

bool Float(napi_env env, napi_value v, float* out, const char* what) {
  double d;
  if (napi_get_value_double(env, v, &d) != napi_ok) {
    napi_throw_type_error(env, nullptr, (std::string(what) + " must be a number").c_str());
    return false;
  }
  *out = static_cast<float>(d);
  return true;
}

bool Bool(napi_env env, napi_value v, bool* out, const char* what) {
  if (napi_get_value_bool(env, v, out) != napi_ok) {
    napi_throw_type_error(env, nullptr, (std::string(what) + " must be a boolean").c_str());
    return false;
  }
  return true;
}

bool Range(napi_env env, bool ok, const std::string& message) {
  if (!ok) napi_throw_range_error(env, nullptr, message.c_str());
  return ok;
}

bool CheckEf(napi_env env, const Traversal* t, int32_t ef, const char* what) {
  return Range(env, ef >= 1 && ef <= t->resultRoom(),
               std::string(what) + ": ef " + std::to_string(ef) + " must be within 1.." + std::to_string(t->resultRoom()) + " (the result buffers' room)");
}

bool CheckLevel(napi_env env, int32_t level, const char* what) {
  return Range(env, level >= 0 && level <= kMaxLevel, std::string(what) + ": level " + std::to_string(level) + " must be within 0.." + std::to_string(kMaxLevel));
}

// After a call: the work into the shared counters; a failed call throws what it recorded.
napi_value Finish(napi_env env, Traversal* t, bool ok, napi_value result) {
  t->flush();
  if (ok) return result;
  if (t->rangeError())
    napi_throw_range_error(env, nullptr, t->error().c_str());
  else
    napi_throw_error(env, nullptr, t->error().c_str());
  return nullptr;
}

// Before a search: point the traversal at the filter's words as they are now (none if unset). A
// detached buffer reads as length 0, so the search then returns nothing rather than reading freed memory.
void RefreshFilter(napi_env env, Binding* b) {
  if (b->filter.IsEmpty()) return;
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  napi_get_typedarray_info(env, b->filter.Value(), &type, &length, &data, nullptr, nullptr);
  if (data == nullptr || length == 0)
    b->traversal->setFilter(kNoWords, 0);
  else
    b->traversal->setFilter(static_cast<const uint32_t*>(data), static_cast<int64_t>(length));
}

napi_value IntResult(napi_env env, int32_t v) {
  napi_value r;
  napi_create_int32(env, v, &r);
  return r;
}

napi_value SetQueryRow(napi_env env, napi_callback_info info) {
  napi_value a[6];
  Binding* b;
  int32_t row;
  if (!Args(env, info, 1, a, &b, "setQueryRow(row)") || !Int(env, a[0], &row, "setQueryRow(row): row")) return nullptr;
  Traversal* t = b->traversal.get();
  return Finish(env, t, t->setQueryRow(row), nullptr);
}

napi_value Distance(napi_env env, napi_callback_info info) {
  napi_value a[6];
  Binding* b;
  int32_t row;
  if (!Args(env, info, 1, a, &b, "distance(row)") || !Int(env, a[0], &row, "distance(row): row")) return nullptr;
  Traversal* t = b->traversal.get();
  float d = 0;
  const bool ok = t->distance(row, &d);
  napi_value r;
  napi_create_double(env, d, &r);
  return Finish(env, t, ok, r);
}

napi_value Descend(napi_env env, napi_callback_info info) {
  napi_value a[6];
  Binding* b;
  int32_t entry, top, bottom;
  float entryDist;
  const char* what = "descend(entry, entryDist, top, bottom)";
  if (!Args(env, info, 4, a, &b, what) || !Int(env, a[0], &entry, what) || !Float(env, a[1], &entryDist, what) || !Int(env, a[2], &top, what) ||
      !Int(env, a[3], &bottom, what) || !CheckLevel(env, top, what) || !Range(env, bottom >= -1, std::string(what) + ": bottom must be >= -1"))
    return nullptr;
  Traversal* t = b->traversal.get();
  int32_t reached = -1;
  const bool ok = t->descend(entry, entryDist, top, bottom, &reached);
  return Finish(env, t, ok, IntResult(env, reached));
}

napi_value SearchLayer(napi_env env, napi_callback_info info) {
  napi_value a[6];
  Binding* b;
  int32_t entry, ef, level, exclude;
  float entryDist;
  bool skipDeleted;
  const char* what = "searchLayer(entry, entryDist, ef, level, skipDeleted, exclude)";
  if (!Args(env, info, 6, a, &b, what) || !Int(env, a[0], &entry, what) || !Float(env, a[1], &entryDist, what) || !Int(env, a[2], &ef, what) ||
      !Int(env, a[3], &level, what) || !Bool(env, a[4], &skipDeleted, what) || !Int(env, a[5], &exclude, what))
    return nullptr;
  Traversal* t = b->traversal.get();
  if (!CheckEf(env, t, ef, what) || !CheckLevel(env, level, what)) return nullptr;
  RefreshFilter(env, b);
  int32_t n = 0;
  const bool ok = t->searchLayer(entry, entryDist, ef, level, skipDeleted, exclude, &n);
  return Finish(env, t, ok, IntResult(env, n));
}

napi_value SearchLayerFrom(napi_env env, napi_callback_info info) {
  napi_value a[6];
  Binding* b;
  int32_t count, ef, level, exclude;
  bool skipDeleted;
  const char* what = "searchLayerFrom(count, ef, level, skipDeleted, exclude)";
  if (!Args(env, info, 5, a, &b, what) || !Int(env, a[0], &count, what) || !Int(env, a[1], &ef, what) || !Int(env, a[2], &level, what) ||
      !Bool(env, a[3], &skipDeleted, what) || !Int(env, a[4], &exclude, what))
    return nullptr;
  Traversal* t = b->traversal.get();
  if (!CheckEf(env, t, ef, what) || !CheckLevel(env, level, what) ||
      !Range(env, count >= 0 && count <= t->maxEntries(), std::string(what) + ": count must be within 0.." + std::to_string(t->maxEntries())))
    return nullptr;
  RefreshFilter(env, b);
  int32_t n = 0;
  const bool ok = t->searchLayerFrom(count, ef, level, skipDeleted, exclude, &n);
  return Finish(env, t, ok, IntResult(env, n));
}

napi_value Search(napi_env env, napi_callback_info info) {
  napi_value a[6];
  Binding* b;
  int32_t ef;
  bool skipDeleted;
  const char* what = "search(ef, skipDeleted)";
  if (!Args(env, info, 2, a, &b, what) || !Int(env, a[0], &ef, what) || !Bool(env, a[1], &skipDeleted, what)) return nullptr;
  Traversal* t = b->traversal.get();
  if (!CheckEf(env, t, ef, what)) return nullptr;
  RefreshFilter(env, b);
  int32_t n = 0;
  const bool ok = t->search(ef, skipDeleted, &n);
  return Finish(env, t, ok, IntResult(env, n));
}

// setFilter(rows): a Uint32Array bitset over rows, or null (or undefined) to clear.
napi_value SetFilter(napi_env env, napi_callback_info info) {
  napi_value a[6];
  Binding* b;
  if (!Args(env, info, 1, a, &b, "setFilter(rows)")) return nullptr;
  napi_valuetype type;
  napi_typeof(env, a[0], &type);
  if (type == napi_null || type == napi_undefined) {
    b->traversal->setFilter(nullptr, 0);
    b->filter.Reset();
    return nullptr;
  }
  void* data;
  size_t length;
  if (!View(env, a[0], napi_uint32_array, 0, &data, &length, "setFilter(rows): rows (a Uint32Array or null)")) return nullptr;
  b->filter = Napi::Persistent(Napi::Value(env, a[0]));
  RefreshFilter(env, b);
  return nullptr;
}

napi_value Insert(napi_env env, napi_callback_info info) {
  napi_value a[6];
  Binding* b;
  int32_t row;
  if (!Args(env, info, 1, a, &b, "insert(row)") || !Int(env, a[0], &row, "insert(row): row")) return nullptr;
  Traversal* t = b->traversal.get();
  return Finish(env, t, t->insert(row), nullptr);
}

// bindGraph(capacity, header, levels, links0, upperOffset, upper, deleted, locks, touched, undo)
Napi::Value BindGraph(const Napi::CallbackInfo& info) {
  napi_env env = info.Env();
  auto* b = static_cast<Binding*>(info.Data());
  if (b->traversal == nullptr) {
    Napi::Error::New(env, "bindGraph: this traversal was disposed").ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
  const int64_t capacity = info[0].IsNumber() ? info[0].As<Napi::Number>().Int64Value() : -1;
  if (capacity < 1 || capacity > INT32_MAX) {
    Napi::RangeError::New(env, "bindGraph: capacity must be a positive int32").ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
  const size_t cap = static_cast<size_t>(capacity);
  struct Spec {
    napi_typedarray_type type;
    size_t minLength;
    const char* name;
  };
  const Spec specs[9] = {
      {napi_int32_array, static_cast<size_t>(HEADER_SLOTS), "header (Int32Array)"},
      {napi_uint8_array, cap, "levels (Uint8Array)"},
      {napi_int32_array, cap * static_cast<size_t>(b->stride0), "links0 (Int32Array)"},
      {napi_int32_array, cap, "upperOffset (Int32Array)"},
      {napi_int32_array, 0, "upper (Int32Array)"},
      {napi_uint8_array, cap, "deleted (Uint8Array)"},
      {napi_int32_array, cap, "locks (Int32Array)"},
      {napi_uint32_array, cap, "touched (Uint32Array)"},
      {napi_int32_array, 0, "undo (Int32Array)"},
  };
  void* data[9];
  size_t length[9];
  for (int i = 0; i < 9; i++) {
    if (!View(env, info[i + 1], specs[i].type, specs[i].minLength, &data[i], &length[i], std::string("bindGraph: ") + specs[i].name)) return info.Env().Undefined();
  }
  GraphView g;
  g.M = b->M;
  g.stride0 = b->stride0;
  g.strideUp = b->M + 1;
  g.capacity = capacity;
  g.header = static_cast<int32_t*>(data[0]);
  g.levels = static_cast<uint8_t*>(data[1]);
  g.links0 = static_cast<int32_t*>(data[2]);
  g.upperOffset = static_cast<int32_t*>(data[3]);
  g.upper = static_cast<int32_t*>(data[4]);
  g.upperLength = static_cast<int64_t>(length[4]);
  g.deleted = static_cast<uint8_t*>(data[5]);
  g.locks = static_cast<int32_t*>(data[6]);
  g.touched = static_cast<uint32_t*>(data[7]);
  g.undo = static_cast<int32_t*>(data[8]);
  g.undoLength = static_cast<int64_t>(length[8]);
  for (int i = 0; i < 9; i++) b->graph[i] = Napi::Persistent(info[i + 1]);
  b->traversal->bindGraph(g);
  return info.Env().Undefined();
}

// bindStore(data): the space's rows (a Float32Array), again after every growth.
Napi::Value BindStore(const Napi::CallbackInfo& info) {
  auto* b = static_cast<Binding*>(info.Data());
  void* data;
  size_t length;
  if (b->traversal == nullptr || !View(info.Env(), info[0], napi_float32_array, 0, &data, &length, "bindStore(data): data (Float32Array)"))
    return info.Env().Undefined();
  b->store = Napi::Persistent(info[0]);
  b->traversal->bindStore(static_cast<const float*>(data), static_cast<int64_t>(length / static_cast<size_t>(b->dim)));
  return info.Env().Undefined();
}

// bindResults(rows, dists): where searches leave their results; room is the shorter length.
Napi::Value BindResults(const Napi::CallbackInfo& info) {
  auto* b = static_cast<Binding*>(info.Data());
  void *rows, *dists;
  size_t nRows, nDists;
  if (b->traversal == nullptr || !View(info.Env(), info[0], napi_int32_array, 1, &rows, &nRows, "bindResults: rows (Int32Array)") ||
      !View(info.Env(), info[1], napi_float32_array, 1, &dists, &nDists, "bindResults: dists (Float32Array)"))
    return info.Env().Undefined();
  const size_t room = nRows < nDists ? nRows : nDists;
  b->rows = Napi::Persistent(info[0]);
  b->dists = Napi::Persistent(info[1]);
  b->traversal->bindResults(static_cast<int32_t*>(rows), static_cast<float*>(dists), static_cast<int32_t>(room > INT32_MAX ? INT32_MAX : room));
  return info.Env().Undefined();
}

Napi::Value ScratchBytes(const Napi::CallbackInfo& info) {
  auto* b = static_cast<Binding*>(info.Data());
  return Napi::Number::New(info.Env(), b->traversal ? static_cast<double>(b->traversal->scratchBytes()) : 0.0);
}

// release(): frees the scratch and drops every reference now; later calls throw.
Napi::Value Release(const Napi::CallbackInfo& info) {
  auto* b = static_cast<Binding*>(info.Data());
  b->traversal.reset();
  for (auto* ref : {&b->query32, &b->query64, &b->entries, &b->state, &b->rows, &b->dists, &b->store, &b->filter}) ref->Reset();
  for (auto& ref : b->graph) ref.Reset();
  return info.Env().Undefined();
}

void AddMethod(napi_env env, Napi::Object handle, const char* name, napi_callback cb, Binding* b) {
  napi_value fn;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, b, &fn);
  // The function keeps the handle (and with it the state) alive even if it is detached from it.
  Napi::Object(env, fn).DefineProperty(Napi::PropertyDescriptor::Value("traversal", handle, napi_default));
  handle.DefineProperty(Napi::PropertyDescriptor::Value(name, Napi::Value(env, fn), napi_default));
}

template <Napi::Value (*Method)(const Napi::CallbackInfo&)>
void AddCppMethod(Napi::Env env, Napi::Object handle, const char* name, Binding* b) {
  handle.DefineProperty(Napi::PropertyDescriptor::Value(name, Napi::Function::New<Method>(env, name, b), napi_default));
}

}  // namespace

Napi::Value CreateTraversal(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* usage = "createTraversal(config, query32, query64, entries, state)";
  if (info.Length() < 5 || !info[0].IsObject()) {
    Napi::TypeError::New(env, std::string(usage) + ": config must be an object").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Object o = info[0].As<Napi::Object>();
  auto str = [&](const char* key) { return o.Get(key).IsString() ? o.Get(key).As<Napi::String>().Utf8Value() : std::string(); };
  auto num = [&](const char* key) { return o.Get(key).IsNumber() ? o.Get(key).As<Napi::Number>().DoubleValue() : -1.0; };
  auto flag = [&](const char* key) { return o.Get(key).ToBoolean().Value(); };
  SimdPath path;
  if (!parsePath(str("path"), &path) || !isSupported(path)) {
    Napi::Error::New(env, std::string(usage) + ": path must be one this CPU runs (avx512, avx2 or scalar)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  const std::string formula = str("formula");
  const double dim = num("dim"), M = num("M"), efConstruction = num("efConstruction"), rowOffset = num("rowOffset");
  if ((formula != "l2" && formula != "dot") || dim < 1 || M < 1 || M > 1 << 20 || efConstruction < 1 || rowOffset < 0) {
    Napi::RangeError::New(env, std::string(usage) + ": config needs formula 'l2' or 'dot', dim >= 1, M >= 1, efConstruction >= 1, rowOffset >= 0")
        .ThrowAsJavaScriptException();
    return env.Undefined();
  }
  TraversalConfig c;
  c.formula = formula == "l2" ? Formula::L2 : Formula::Dot;
  c.kernels = kernelsFor(path, c.formula);
  c.dim = static_cast<int32_t>(dim);
  c.M = static_cast<int32_t>(M);
  c.efConstruction = static_cast<int32_t>(efConstruction);
  c.locking = flag("locking");
  c.timing = flag("timing");
  c.prefetch = flag("prefetch");
  c.rowOffset = static_cast<int64_t>(rowOffset);

  void *q32, *q64, *entries, *state;
  size_t n;
  const size_t d = static_cast<size_t>(c.dim);
  if (!View(env, info[1], napi_float32_array, d, &q32, &n, std::string(usage) + ": query32 (Float32Array of dim)") ||
      !View(env, info[2], napi_float64_array, d, &q64, &n, std::string(usage) + ": query64 (Float64Array of dim)") ||
      !View(env, info[3], napi_int32_array, 0, &entries, &n, std::string(usage) + ": entries (Int32Array)"))
    return env.Undefined();
  const size_t maxEntries = n;
  if (!View(env, info[4], napi_float64_array, kStateSlots, &state, &n, std::string(usage) + ": state (Float64Array)")) return env.Undefined();

  auto* b = new Binding();
  b->traversal = std::make_unique<Traversal>(c);
  b->dim = c.dim;
  b->M = c.M;
  b->stride0 = 2 * c.M + 1;
  b->traversal->bindQuery(static_cast<float*>(q32), static_cast<double*>(q64));
  b->traversal->bindEntries(static_cast<const int32_t*>(entries), static_cast<int32_t>(maxEntries));
  b->traversal->bindState(static_cast<double*>(state));
  b->query32 = Napi::Persistent(info[1]);
  b->query64 = Napi::Persistent(info[2]);
  b->entries = Napi::Persistent(info[3]);
  b->state = Napi::Persistent(info[4]);

  Napi::Object handle = Napi::Object::New(env);
  handle.AddFinalizer([](Napi::Env, Binding* s) { delete s; }, b);
  AddMethod(env, handle, "setQueryRow", SetQueryRow, b);
  AddMethod(env, handle, "distance", Distance, b);
  AddMethod(env, handle, "descend", Descend, b);
  AddMethod(env, handle, "searchLayer", SearchLayer, b);
  AddMethod(env, handle, "searchLayerFrom", SearchLayerFrom, b);
  AddMethod(env, handle, "search", Search, b);
  AddMethod(env, handle, "insert", Insert, b);
  AddMethod(env, handle, "setFilter", SetFilter, b);
  AddCppMethod<BindGraph>(env, handle, "bindGraph", b);
  AddCppMethod<BindStore>(env, handle, "bindStore", b);
  AddCppMethod<BindResults>(env, handle, "bindResults", b);
  AddCppMethod<ScratchBytes>(env, handle, "scratchBytes", b);
  AddCppMethod<Release>(env, handle, "release", b);
  return handle;
}

}  // namespace hnswlab
