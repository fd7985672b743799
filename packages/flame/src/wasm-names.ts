import { readFileSync } from 'node:fs';

/**
 * Function names of a WebAssembly module by function index (the index V8 shows in `wasm-function[i]`
 * frames): from the `name` section when the module keeps one, else from its exports, so a module
 * built without names still profiles as `l2Rows`, not `wasm-function[0]`.
 */
export function wasmFunctionNames(bytes: Uint8Array): Map<number, string> {
  const names = new Map<number, string>();
  const fromNameSection = new Map<number, string>();
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d)
    throw new Error('not a WebAssembly module');
  let pos = 8;
  const u32 = (): number => {
    let result = 0,
      shift = 0,
      b: number;
    do {
      b = bytes[pos++];
      result |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    return result >>> 0;
  };
  const str = (): string => {
    const len = u32();
    const s = new TextDecoder().decode(bytes.subarray(pos, pos + len));
    pos += len;
    return s;
  };
  while (pos < bytes.length) {
    const id = bytes[pos++];
    const size = u32();
    const end = pos + size;
    if (id === 7) {
      for (let n = u32(); n > 0; n--) {
        const name = str();
        const kind = bytes[pos++];
        const index = u32();
        if (kind === 0 && !names.has(index)) names.set(index, name);
      }
    } else if (id === 0) {
      const sectionName = str();
      if (sectionName === 'name') {
        while (pos < end) {
          const sub = bytes[pos++];
          const subSize = u32();
          const subEnd = pos + subSize;
          if (sub === 1) for (let n = u32(); n > 0; n--) fromNameSection.set(u32(), str());
          pos = subEnd;
        }
      }
    }
    pos = end;
  }
  for (const [i, n] of fromNameSection) names.set(i, n);
  return names;
}

/** Names for `wasm-function[i]` frames, from the modules a kernel ships (ambiguous when several disagree). */
export function wasmNamesFromFiles(files: readonly string[]): Map<number, string> | undefined {
  const maps = files.map((f) => wasmFunctionNames(readFileSync(f)));
  if (maps.length === 0) return undefined;
  if (maps.length === 1) return maps[0];
  // Several modules: keep only the indices every module names alike.
  const merged = new Map<number, string>();
  for (const [i, n] of maps[0]) if (maps.every((m) => m.get(i) === n)) merged.set(i, n);
  return merged;
}

/**
 * The function name of a wasm frame: V8's own when the module has a name section, else the name
 * `names` gives its `wasm-function[i]`; undefined for other frames, the JS/wasm wrappers, and unnamed indices.
 */
export function wasmFrameName(frame: { functionName: string; url: string }, names?: ReadonlyMap<number, string>): string | undefined {
  const index = /^wasm-function\[(\d+)\]$/.exec(frame.functionName);
  if (index) return names?.get(Number(index[1]));
  if (!frame.url.startsWith('wasm://') || !frame.functionName || /^(js-to-wasm|wasm-to-js)/.test(frame.functionName)) return undefined;
  return frame.functionName;
}
