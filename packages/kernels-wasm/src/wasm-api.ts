// The slice of the WebAssembly JS API this package uses. Node has it at run time, but neither the
// ES2023 lib nor @types/node 20 declare it (it lives in lib.dom), so it is typed here, locally,
// instead of pulling DOM types into the build.

export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  /** Adds `pages` 64 KiB pages; returns the size before, in pages. grow(0) reads the current size. */
  grow(pages: number): number;
}

export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => WasmInstance;
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  compile(bytes: Uint8Array): Promise<object>;
  validate(bytes: Uint8Array): boolean;
}

/** The global WebAssembly object, typed; undefined where the runtime has none. */
export const wasmApi: WasmApi | undefined = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/** Bytes in a WebAssembly page. */
export const PAGE_BYTES = 65536;
/** wasm32's limit, and the maximum every space's memory (and the module's import) declares. */
export const MAX_PAGES = 65536;
