// Argument checks and handle plumbing shared by the probes (probe.cc, code-probe.cc): the C
// Node-API, so the hot calls do no unwrap and no allocation.
#pragma once

#include <napi.h>

#include <cstdint>
#include <string>

namespace hnswlab {

// napi_get_typedarray_info's data pointer, not ArrayBuffer().Data(): the latter rejects arrays over
// a SharedArrayBuffer, which is where every store lives.
template <typename T>
T* typedArrayData(Napi::TypedArray array) {
  void* data = nullptr;
  napi_get_typedarray_info(array.Env(), array, nullptr, nullptr, &data, nullptr, nullptr);
  return static_cast<T*>(data);
}

inline napi_value ThrowRange(napi_env env, const std::string& message) {
  napi_throw_range_error(env, nullptr, message.c_str());
  return nullptr;
}

/** One int32 argument and the bound function's state; a TypeError naming `what` otherwise. */
template <typename State>
bool ReadIndex(napi_env env, napi_callback_info info, State** state, int32_t* value, const char* what) {
  size_t argc = 1;
  napi_value arg = nullptr;
  void* data = nullptr;
  napi_get_cb_info(env, info, &argc, &arg, nullptr, &data);
  *state = static_cast<State*>(data);
  if (argc < 1 || napi_get_value_int32(env, arg, value) != napi_ok) {
    napi_throw_type_error(env, nullptr, (std::string(what) + " must be a number").c_str());
    return false;
  }
  return true;
}

/** (row, count[, bound]) and the bound function's state; a TypeError naming `what` otherwise. */
template <typename State>
bool ReadRowArgs(napi_env env, napi_callback_info info, State** state, int32_t* row, int32_t* count, double* bound, const char* what) {
  size_t argc = 3;
  napi_value args[3] = {nullptr, nullptr, nullptr};
  void* data = nullptr;
  napi_get_cb_info(env, info, &argc, args, nullptr, &data);
  *state = static_cast<State*>(data);
  if (argc < 2 || napi_get_value_int32(env, args[0], row) != napi_ok || napi_get_value_int32(env, args[1], count) != napi_ok ||
      (bound != nullptr && (argc < 3 || napi_get_value_double(env, args[2], bound) != napi_ok))) {
    napi_throw_type_error(env, nullptr, (std::string(what) + ": arguments must be numbers").c_str());
    return false;
  }
  return true;
}

// Range checks shared by every entry point: a bad row, count or id is a RangeError, never a read
// outside the store. `what` names the call in the message.
inline bool CheckRow(napi_env env, int64_t rows, int32_t row, const std::string& what) {
  if (row >= 0 && row < rows) return true;
  ThrowRange(env, what + ": row " + std::to_string(row) + " is outside the store's " + std::to_string(rows) + " rows");
  return false;
}

inline bool CheckBatch(napi_env env, const int32_t* ids, int32_t maxBatch, int64_t rows, int32_t count, const std::string& what) {
  if (count < 0 || count > maxBatch) {
    ThrowRange(env, what + ": count " + std::to_string(count) + " must be within 0.." + std::to_string(maxBatch));
    return false;
  }
  // One cheap pass for the largest id; the slow pass that names the bad one runs only when needed.
  uint32_t worst = 0;
  for (int32_t i = 0; i < count; i++) worst = static_cast<uint32_t>(ids[i]) > worst ? static_cast<uint32_t>(ids[i]) : worst;
  if (count == 0 || static_cast<int64_t>(worst) < rows) return true;
  for (int32_t i = 0; i < count; i++) {
    if (ids[i] < 0 || ids[i] >= rows) {
      ThrowRange(env, what + ": ids[" + std::to_string(i) + "] = " + std::to_string(ids[i]) + " is outside the store's " + std::to_string(rows) + " rows");
      return false;
    }
  }
  return true;
}

/** A typed array of `type` with at least minLength elements; a TypeError or RangeError naming `call` and `what` otherwise. */
inline bool CheckArray(Napi::Env env, const Napi::Value& value, napi_typedarray_type type, size_t minLength, const char* call, const char* what) {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != type) {
    Napi::TypeError::New(env, std::string(call) + ": " + what + " has the wrong type").ThrowAsJavaScriptException();
    return false;
  }
  if (value.As<Napi::TypedArray>().ElementLength() < minLength) {
    Napi::RangeError::New(env, std::string(call) + ": " + what + " is too short").ThrowAsJavaScriptException();
    return false;
  }
  return true;
}

inline void AddMethod(Napi::Env env, Napi::Object handle, const char* name, napi_callback cb, void* state) {
  napi_value fn;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, state, &fn);
  // The function keeps the handle (and with it the state) alive even if it is detached from it.
  Napi::Object(env, fn).DefineProperty(Napi::PropertyDescriptor::Value("probe", handle, napi_default));
  handle.DefineProperty(Napi::PropertyDescriptor::Value(name, Napi::Value(env, fn), napi_default));
}

}  // namespace hnswlab
