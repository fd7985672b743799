import type { WorkerBuild, WorkerTask } from '../contracts.js';

/**
 * Declare a worker task: `run` exported as `name` from the module at `module` (pass
 * `import.meta.url`). A worker imports that module and calls the export, so a strategy's worker half
 * lives in the strategy's own file: no message types or worker switch to edit.
 *
 * ```ts
 * export const linkRows = workerTask(import.meta.url, 'linkRows', (worker, args: { counter: SharedArrayBuffer }) => { … });
 * ```
 */
export function workerTask<Args, Result>(
  module: string,
  name: string,
  run: (worker: WorkerBuild, args: Args) => Result,
): WorkerTask<Args, Result> {
  if (typeof module !== 'string' || !module.startsWith('file:'))
    throw new TypeError(`workerTask '${name}': module must be a file URL (import.meta.url)`);
  return Object.freeze({ module, name, run });
}

/** True for a value made by {@link workerTask}. */
export function isWorkerTask(value: unknown): value is WorkerTask {
  const t = value as WorkerTask | undefined;
  return typeof t === 'object' && t !== null && typeof t.run === 'function' && typeof t.module === 'string' && typeof t.name === 'string';
}
