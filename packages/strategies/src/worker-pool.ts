import { Worker } from 'node:worker_threads';
import type { Counters } from '@hnswlab/core/internals';
import type { JobSetup, Reply, Request, Task } from './messages.js';

const WORKER_URL = new URL('./build-worker.js', import.meta.url);

/**
 * The parent's node flags minus those that describe how the main script was given (`-e code`,
 * `--input-type`): workers inherit execArgv, and a worker started from a file refuses them.
 */
function workerExecArgv(): string[] {
  const out: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-e' || a === '--eval' || a === '-p' || a === '--print' || a === '--input-type') i++;
    else if (!a.startsWith('--input-type=') && !a.startsWith('--eval=') && !a.startsWith('--print=')) out.push(a);
  }
  return out;
}

/** What one task reported back. */
export interface TaskOutcome {
  readonly busySeconds: number;
  readonly result: unknown;
}

/**
 * One build worker. Idle workers are unref'd so they never keep the process alive; a worker is ref'd
 * only while a request to it is in flight (else a script awaiting addBatch could exit under it).
 */
class PoolWorker {
  readonly worker: Worker;
  dead: Error | undefined;
  private readonly pending: Array<{ resolve: (r: Reply) => void; reject: (e: Error) => void }> = [];

  constructor(readonly id: number) {
    this.worker = new Worker(WORKER_URL, { execArgv: workerExecArgv() });
    this.worker.unref();
    this.worker.on('message', (reply: Reply) => {
      const p = this.pending.shift();
      if (this.pending.length === 0) this.worker.unref();
      p?.resolve(reply);
    });
    this.worker.on('error', (err: Error) => this.die(err));
    this.worker.on('exit', (code) => this.die(new Error(`build worker ${id} exited (code ${code})`)));
  }

  request(msg: Request): Promise<Reply> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.worker.ref();
      this.worker.postMessage(msg);
    });
  }

  async terminate(): Promise<void> {
    this.dead ??= new Error(`build worker ${this.id} was terminated`);
    await this.worker.terminate();
  }

  private die(err: Error): void {
    this.dead ??= err;
    for (const p of this.pending.splice(0)) p.reject(this.dead);
  }
}

/**
 * The build workers, shared by every index of the process: a worker re-creates each kernel once (from
 * its descriptor) and attaches an index's graph and space per job. Jobs run one at a time.
 */
export class WorkerPool {
  private workers: PoolWorker[] = [];
  private tail: Promise<void> = Promise.resolve();
  private nextId = 0;

  /** Waits for the pool, then hands `threads` workers to one job (spawning any missing). */
  async acquire(threads: number, counters: Counters): Promise<Job> {
    let release!: () => void;
    const prev = this.tail;
    this.tail = new Promise((r) => (release = r));
    await prev;
    this.workers = this.workers.filter((w) => !w.dead);
    while (this.workers.length < threads) this.workers.push(new PoolWorker(this.nextId++));
    return new Job(this.workers.slice(0, threads), counters, release);
  }

  /** Terminate every worker, after the running job (if any) ends. The next job spawns fresh ones. */
  async close(): Promise<void> {
    let release!: () => void;
    const prev = this.tail;
    this.tail = new Promise((r) => (release = r));
    await prev;
    const workers = this.workers;
    this.workers = [];
    try {
      await Promise.all(workers.map((w) => w.terminate()));
    } finally {
      release();
    }
  }
}

/**
 * Workers lent to one job. Any failure (a task that throws, a worker that dies) terminates every
 * worker of the job before the returned promise rejects: a worker that died holding a node lock would
 * leave the others spinning forever, and nothing may write the graph once the caller restores it.
 */
export class Job {
  private failure: Error | undefined;
  private stopping: Promise<void> | undefined;
  private released = false;

  constructor(
    private readonly workers: PoolWorker[],
    private readonly counters: Counters,
    private readonly releasePool: () => void,
  ) {}

  get size(): number {
    return this.workers.length;
  }

  /** Attach the index's kernel, space and graph in every worker. */
  async open(setup: JobSetup): Promise<void> {
    await Promise.all(this.workers.map((w) => this.call(w, { op: 'open', setup })));
  }

  /** One task per worker (`make` may return undefined to leave one idle); outcomes in worker order. */
  async runEach(make: (worker: number) => Task | undefined): Promise<TaskOutcome[]> {
    const out: TaskOutcome[] = [];
    await Promise.all(
      this.workers.map(async (w, i) => {
        const task = make(i);
        if (task) out[i] = await this.runOn(w, task);
      }),
    );
    return out;
  }

  /** Tasks handed out in order to whichever worker is free; outcomes in task order. */
  async runQueue(tasks: readonly Task[]): Promise<TaskOutcome[]> {
    const out: TaskOutcome[] = [];
    let next = 0;
    await Promise.all(
      this.workers.map(async (w) => {
        while (next < tasks.length) {
          const i = next++;
          out[i] = await this.runOn(w, tasks[i]);
        }
      }),
    );
    return out;
  }

  /** Detach in every worker and give the workers back. A failed job has already given them back. */
  async close(): Promise<void> {
    if (this.released) return;
    try {
      await Promise.all(this.workers.map((w) => this.call(w, { op: 'close' })));
    } finally {
      this.release();
    }
  }

  private async runOn(w: PoolWorker, task: Task): Promise<TaskOutcome> {
    const reply = await this.call(w, { op: 'run', task });
    if (reply.counters) this.counters.add(reply.counters);
    return { busySeconds: reply.busySeconds ?? 0, result: reply.result };
  }

  private async call(w: PoolWorker, msg: Request): Promise<Reply & { ok: true }> {
    if (this.failure) throw this.failure;
    let reply: Reply;
    try {
      reply = await w.request(msg);
    } catch (err) {
      return this.fail(w, err instanceof Error ? err.message : String(err));
    }
    if (!reply.ok) return this.fail(w, reply.message, reply.stack);
    return reply;
  }

  private async fail(w: PoolWorker, message: string, stack?: string): Promise<never> {
    if (!this.failure) {
      this.failure = new Error(`build worker ${w.id} failed: ${message}`);
      if (stack) this.failure.stack = `${this.failure.message}\n--- in the worker ---\n${stack}`;
      this.stopping = Promise.all(this.workers.map((x) => x.terminate())).then(() => this.release());
    }
    await this.stopping;
    throw this.failure;
  }

  private release(): void {
    if (this.released) return;
    this.released = true;
    this.releasePool();
  }
}

/** The busy seconds of a stage's tasks, summed over workers. */
export function sumBusy(outcomes: ReadonlyArray<TaskOutcome | undefined>): number {
  let s = 0;
  for (const o of outcomes) if (o) s += o.busySeconds;
  return s;
}

let shared: WorkerPool | undefined;

/** The process-wide pool. */
export function workerPool(): WorkerPool {
  return (shared ??= new WorkerPool());
}

/**
 * Terminate the build workers (after the running job, if any). Idle workers never keep the process
 * alive, so this is needed only to free their memory at once; the next parallel batch spawns new ones.
 */
export async function closeWorkers(): Promise<void> {
  const pool = shared;
  shared = undefined;
  await pool?.close();
}
