import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { WorkerTask, Workers } from '../contracts.js';
import type { Counters } from '../counters.js';
import type { JobSetup, Reply, Request, TaskCall } from './messages.js';

const WORKER_URL = new URL('./worker-main.js', import.meta.url);

/** V8 flags (process-wide: a worker refuses them) that people commonly start node with. */
const V8_FLAG =
  /^--(no[-_])?(expose[-_]gc|turbo[-_]inlining|predictable|single[-_]threaded|random[-_]seed|hash[-_]seed|opt|jitless|allow[-_]natives[-_]syntax|max[-_]semi[-_]space[-_]size|huge[-_]max[-_]old[-_]generation[-_]size|interpreted[-_]frames[-_]native[-_]stack|perf[-_]basic[-_]prof.*|perf[-_]prof.*|prof|trace[-_].*|concurrent[-_].*|stack[-_]trace[-_]limit|lazy.*|max[-_]lazy|sparkplug|maglev|turbofan)(=.*)?$/;

/**
 * The options a build worker starts with: the parent's node flags minus those a worker refuses
 * (V8's, which are per process, and the ones describing how the main script was given: `-e`,
 * `--input-type`), and the parent's heap limits as resourceLimits (where a worker takes them).
 */
export function workerOptions(execArgv: readonly string[] = process.execArgv): { execArgv: string[]; resourceLimits: ResourceLimits } {
  const out: string[] = [];
  const limits: { -readonly [K in keyof ResourceLimits]: ResourceLimits[K] } = {};
  for (let i = 0; i < execArgv.length; i++) {
    const a = execArgv[i];
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => Number(inline ?? execArgv[++i]);
    if (flag === '-e' || flag === '--eval' || flag === '-p' || flag === '--print' || flag === '--input-type') {
      if (inline === undefined) i++;
    } else if (flag === '--max-old-space-size' || flag === '--max_old_space_size') {
      const mb = value();
      if (mb > 0) limits.maxOldGenerationSizeMb = mb;
    } else if (flag === '--stack-size' || flag === '--stack_size') {
      const kb = value();
      if (kb > 0) limits.stackSizeMb = kb / 1024;
    } else if (!V8_FLAG.test(a)) {
      out.push(a);
    }
  }
  return { execArgv: out, resourceLimits: limits };
}

function spawn(): Worker {
  const { execArgv, resourceLimits } = workerOptions();
  try {
    return new Worker(WORKER_URL, { execArgv, resourceLimits });
  } catch (err) {
    // A flag this list does not know may still be refused: start without the parent's flags then.
    if ((err as { code?: string }).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw err;
    return new Worker(WORKER_URL, { execArgv: [], resourceLimits });
  }
}

/** One build worker. Idle workers are unref'd so they never keep the process alive. */
class PoolWorker {
  readonly worker: Worker;
  dead: Error | undefined;
  private readonly pending: Array<{ resolve: (r: Reply) => void; reject: (e: Error) => void }> = [];

  constructor(readonly id: number) {
    this.worker = spawn();
    this.worker.on('message', (reply: Reply) => this.pending.shift()?.resolve(reply));
    this.worker.on('error', (err: Error) => this.die(err));
    this.worker.on('exit', (code) => this.die(new Error(`build worker ${id} exited (code ${code})`)));
    // After the listeners: adding a 'message' listener refs the worker's port again.
    this.worker.unref();
  }

  request(msg: Request): Promise<Reply> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
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
    try {
      this.workers = this.workers.filter((w) => !w.dead);
      while (this.workers.length < threads) this.workers.push(new PoolWorker(this.nextId++));
      return new Job(this.workers.slice(0, threads), counters, release);
    } catch (err) {
      // The pool is never left locked: a worker that cannot even start fails this job only.
      release();
      throw err;
    }
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
 * leave the others spinning forever, and nothing may write the graph once the caller rolls it back.
 * While the job lives a timer keeps the process alive, so a script awaiting a failing batch always
 * sees it settle.
 */
export class Job implements Workers {
  private failure: Error | undefined;
  private stopping: Promise<void> | undefined;
  private released = false;
  private readonly keepAlive = setInterval(() => {}, 1 << 30);

  constructor(
    private readonly pool: PoolWorker[],
    private readonly counters: Counters,
    private readonly releasePool: () => void,
  ) {}

  get size(): number {
    return this.pool.length;
  }

  /** Attach the index in every worker (`setup(i)` for worker i). */
  async open(setup: (worker: number) => JobSetup): Promise<void> {
    await Promise.all(this.pool.map((w, i) => this.call(w, { op: 'open', setup: setup(i) })));
  }

  async each<A, R>(task: WorkerTask<A, R>, args: (worker: number) => A | undefined): Promise<R[]> {
    const out: R[] = [];
    await Promise.all(
      this.pool.map(async (w, i) => {
        const a = args(i);
        if (a !== undefined) out[i] = (await this.runOn(w, call(task, a))) as R;
      }),
    );
    return out;
  }

  async queue<A, R>(task: WorkerTask<A, R>, args: readonly A[]): Promise<R[]> {
    const out: R[] = [];
    let next = 0;
    await Promise.all(
      this.pool.map(async (w) => {
        while (next < args.length) {
          const i = next++;
          out[i] = (await this.runOn(w, call(task, args[i]))) as R;
        }
      }),
    );
    return out;
  }

  /** Seconds the workers' tasks took, summed, since the job opened. */
  busySeconds = 0;

  /** Detach in every worker and give the workers back. A failed job has already given them back. */
  async close(): Promise<void> {
    if (this.released) return;
    try {
      await Promise.all(this.pool.map((w) => this.call(w, { op: 'close' })));
    } finally {
      this.release();
    }
  }

  private async runOn(w: PoolWorker, task: TaskCall): Promise<unknown> {
    const reply = await this.call(w, { op: 'run', task });
    if (reply.counters) this.counters.add(reply.counters);
    this.busySeconds += reply.busySeconds ?? 0;
    return reply.result;
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
      this.stopping = Promise.allSettled(this.pool.map((x) => x.terminate())).then(() => this.release());
    }
    await this.stopping;
    throw this.failure;
  }

  private release(): void {
    if (this.released) return;
    this.released = true;
    clearInterval(this.keepAlive);
    this.releasePool();
  }
}

function call<A>(task: WorkerTask<A, unknown>, args: A): TaskCall {
  return { module: task.module, name: task.name, args };
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
