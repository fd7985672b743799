import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';

/** A running background load: one busy-looping node process per core. */
export interface LoadGenerator {
  readonly processes: number;
  stop(): Promise<void>;
}

/**
 * Start a node busy-loop on every core (or `processes` of them), as a shared CI runner's neighbours
 * would: the self-test's "under load" condition. Each is killed by its own pid on stop() and when this
 * process exits, so none outlives the self-test.
 */
export function startLoad(processes = availableParallelism()): LoadGenerator {
  const children: ChildProcess[] = [];
  for (let i = 0; i < processes; i++) {
    children.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  }
  const killAll = () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  };
  process.once('exit', killAll);
  return {
    processes,
    async stop() {
      process.removeListener('exit', killAll);
      const exited = children.map((c) =>
        c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => c.once('exit', () => resolve())),
      );
      killAll();
      await Promise.all(exited);
    },
  };
}
