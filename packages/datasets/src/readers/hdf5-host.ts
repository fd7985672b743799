import { Worker } from 'node:worker_threads';
import { FileFormatError } from '../file-format-error.js';
import type { AnnHdf5 } from './ann-hdf5.js';
import type { Hdf5Reply, Hdf5Request } from './hdf5-worker.js';

// Two levels up is the package root from src/readers and from dist/readers alike: the worker always
// runs the built JavaScript (tests that import src need `pnpm build` first, as the strategies' do).
const WORKER_URL = new URL('../../dist/readers/hdf5-worker.js', import.meta.url);
const START_MS = 60_000;
const KEEP_HEAP_BYTES = 64 << 20;

/**
 * One worker thread that runs every HDF5 read, one at a time. HDF5 can loop forever or abort on a
 * damaged file (the crafted-file corpus has both); here that ends in a terminated worker and a
 * FileFormatError. After any error raised inside HDF5 the worker is replaced too, so each read after
 * one starts from a clean h5wasm instance. The worker is unref'd while idle, so it
 * never keeps the process alive.
 */
class Hdf5Host {
  private ready: Promise<Worker> | undefined;
  private worker: Worker | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  read(req: Hdf5Request, timeoutMs: number): Promise<AnnHdf5> {
    const run = this.queue.then(() => this.run(req, timeoutMs));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private start(): Promise<Worker> {
    if (this.ready) return this.ready;
    // No inherited execArgv: Node refuses some flags (--max-old-space-size, --expose-gc) in workers.
    const w = new Worker(WORKER_URL, { execArgv: [] });
    this.worker = w;
    this.ready = new Promise<Worker>((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`the HDF5 worker did not start within ${START_MS / 1000} s`)), START_MS);
      const off = () => {
        clearTimeout(timer);
        w.off('message', onMessage).off('error', fail).off('exit', onExit);
      };
      const fail = (err: Error) => {
        off();
        this.discard(w);
        reject(new Error(`the HDF5 worker failed to start: ${err.message}`, { cause: err }));
      };
      const onExit = (code: number) => fail(new Error(`it exited with code ${code}`));
      const onMessage = (m: unknown) => {
        if (m !== 'ready') return;
        off();
        w.unref();
        resolve(w);
      };
      w.on('message', onMessage).on('error', fail).on('exit', onExit);
    });
    return this.ready;
  }

  private async run(req: Hdf5Request, timeoutMs: number): Promise<AnnHdf5> {
    const w = await this.start();
    const { file } = req;
    return new Promise<AnnHdf5>((resolve, reject) => {
      const timer = setTimeout(() => fail(`still being read by HDF5 after ${timeoutMs} ms (the read was stopped)`), timeoutMs);
      const off = () => {
        clearTimeout(timer);
        w.off('message', onMessage).off('error', onError).off('exit', onExit);
        w.unref();
      };
      const fail = (found: string) => {
        off();
        this.discard(w);
        reject(new FileFormatError(file, 'the file', found, 'a well-formed HDF5 file (HDF5 can loop or abort on a damaged one)'));
      };
      const onError = (err: Error) => fail(`fatal to HDF5 (${err.message})`);
      const onExit = (code: number) => fail(`fatal to HDF5 (its worker exited with code ${code})`);
      const onMessage = (m: Hdf5Reply) => {
        off();
        if (m.ok) {
          // WebAssembly memory never shrinks: a worker that read a large file is let go rather than kept idle
          if (m.heapBytes > KEEP_HEAP_BYTES) this.discard(w);
          return resolve(m.result);
        }
        if (m.restart) this.discard(w);
        const e = m.error;
        reject(
          e.file !== undefined && e.field !== undefined && e.found !== undefined && e.expected !== undefined
            ? new FileFormatError(e.file, e.field, e.found, e.expected)
            : new Error(e.message),
        );
      };
      w.on('message', onMessage).on('error', onError).on('exit', onExit);
      w.ref();
      w.postMessage(req);
    });
  }

  private discard(w: Worker): void {
    if (this.worker === w) {
      this.worker = undefined;
      this.ready = undefined;
    }
    void w.terminate();
  }
}

/** The process's HDF5 worker, started on the first read. */
export const hdf5Host = new Hdf5Host();
