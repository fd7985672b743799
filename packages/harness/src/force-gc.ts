import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gcFn: (() => void) | null | undefined;

/**
 * A function that runs a full GC, or null when none can be had. Uses global.gc under --expose-gc;
 * otherwise sets the flag at run time and takes `gc` from a fresh context (V8 installs it there).
 */
export function gcFunction(): (() => void) | null {
  if (gcFn !== undefined) return gcFn;
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === 'function') return (gcFn = g);
  try {
    setFlagsFromString('--expose-gc');
    const fromContext = runInNewContext('gc') as unknown;
    gcFn = typeof fromContext === 'function' ? (fromContext as () => void) : null;
  } catch {
    gcFn = null;
  }
  return gcFn;
}

/** Run GC twice (the second pass frees what finalisers of the first released); false when GC cannot be forced. */
export function forceGc(): boolean {
  const gc = gcFunction();
  if (!gc) return false;
  gc();
  gc();
  return true;
}
