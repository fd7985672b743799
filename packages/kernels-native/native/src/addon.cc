// @hnswlab/kernels-native's addon. Registered with NAPI_MODULE_INIT, so every Node.js environment
// (the main thread and each worker thread) gets its own exports; the addon keeps no global state
// besides read-only function tables.
#include <napi.h>

#include <cstdint>

#include "code-probe.h"
#include "probe.h"
#include "simd-dispatch.h"
#include "traversal-binding.h"

namespace {

/** supportedPaths() -> ['avx512', 'avx2', 'scalar'] or a suffix of it: what this CPU runs, fastest first. */
Napi::Value SupportedPaths(const Napi::CallbackInfo& info) {
  const auto paths = hnswlab::supportedPaths();
  Napi::Array result = Napi::Array::New(info.Env(), paths.size());
  for (uint32_t i = 0; i < paths.size(); i++) result.Set(i, Napi::String::New(info.Env(), hnswlab::pathName(paths[i])));
  return result;
}

/**
 * addressMod64(view) -> the address of view's first byte modulo 64. JavaScript cannot see where a
 * SharedArrayBuffer landed; with this it offsets its views so that vectors start on a cache line
 * (a 64-byte load that straddles two lines costs up to 35% here).
 */
Napi::Value AddressMod64(const Napi::CallbackInfo& info) {
  void* data = nullptr;
  if (info.Length() < 1 || !info[0].IsTypedArray() ||
      napi_get_typedarray_info(info.Env(), info[0], nullptr, nullptr, &data, nullptr, nullptr) != napi_ok) {
    Napi::TypeError::New(info.Env(), "addressMod64(view): view must be a typed array").ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
  return Napi::Number::New(info.Env(), static_cast<double>(reinterpret_cast<uintptr_t>(data) % 64));
}

}  // namespace

NAPI_MODULE_INIT() {
  Napi::Env e(env);
  Napi::Object exp(env, exports);
  exp.Set("supportedPaths", Napi::Function::New<SupportedPaths>(e, "supportedPaths"));
  exp.Set("createProbe", Napi::Function::New<hnswlab::CreateProbe>(e, "createProbe"));
  exp.Set("createCodeProbe", Napi::Function::New<hnswlab::CreateCodeProbe>(e, "createCodeProbe"));
  exp.Set("createTraversal", Napi::Function::New<hnswlab::CreateTraversal>(e, "createTraversal"));
  exp.Set("addressMod64", Napi::Function::New<AddressMod64>(e, "addressMod64"));
  return exports;
}
