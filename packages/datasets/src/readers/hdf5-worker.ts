// The HDF5 worker: reads ann-benchmarks files with its own h5wasm instance, so that HDF5 looping
// forever or aborting on a damaged file costs a terminated worker, not the caller's process.
import { parentPort } from 'node:worker_threads';
import { FileFormatError } from '../file-format-error.js';
import type { AnnHdf5 } from './ann-hdf5.js';
import { h5wasmHeapBytes, loadH5wasm, raisedByHdf5, readAnnHdf5InThread } from './hdf5-in-thread.js';

/** A request from the host, and the replies it gets. */
export interface Hdf5Request {
  file: string;
  maxTrain: number;
  maxTest: number;
}
export type Hdf5Reply =
  | { ok: true; result: AnnHdf5; heapBytes: number }
  | {
      ok: false;
      /** The h5wasm instance is not to be trusted after this (an error inside HDF5, an abort): the host replaces the worker. */
      restart: boolean;
      error: { message: string; file?: string; field?: string; found?: string; expected?: string };
    };

const port = parentPort;
if (port) {
  await loadH5wasm();
  port.on('message', (req: Hdf5Request) => {
    readAnnHdf5InThread(req.file, req.maxTrain, req.maxTest).then(
      (result) => {
        const buffers = new Set([result.train.buffer, result.test.buffer, ...(result.neighbors ? [result.neighbors.buffer] : [])]);
        port.postMessage({ ok: true, result, heapBytes: h5wasmHeapBytes() } satisfies Hdf5Reply, [...buffers] as ArrayBuffer[]);
      },
      (err: unknown) => {
        const e = err instanceof Error ? err : new Error(String(err));
        // an emscripten abort() is a WebAssembly RuntimeError, after which the instance is dead
        const restart = raisedByHdf5(e) || e.name === 'RuntimeError' || /\bAborted\(/.test(e.message);
        const fields = e instanceof FileFormatError ? { file: e.file, field: e.field, found: e.found, expected: e.expected } : {};
        port.postMessage({ ok: false, restart, error: { message: e.message, ...fields } } satisfies Hdf5Reply);
      },
    );
  });
  port.postMessage('ready');
}
