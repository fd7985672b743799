import type { Suite } from './suite.js';

// Strict shape checks of a parsed baseline: every value the gate reads is present and of its type, and
// every number is finite and in range. The checksum catches edits; this catches a file written by
// another tool or version that happens to carry a valid checksum, before a NaN becomes a verdict.

type Check = (value: unknown, path: string, problems: string[]) => void;

const describe = (v: unknown) => (v === undefined ? 'nothing' : (JSON.stringify(v)?.slice(0, 40) ?? String(v)));

function num(opts: { min?: number; integer?: boolean } = {}): Check {
  return (v, path, problems) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) problems.push(`${path}: expected a finite number, got ${describe(v)}`);
    else if (opts.integer && !Number.isInteger(v)) problems.push(`${path}: expected an integer, got ${v}`);
    else if (opts.min !== undefined && v < opts.min) problems.push(`${path}: expected ≥ ${opts.min}, got ${v}`);
  };
}

const str: Check = (v, path, problems) => {
  if (typeof v !== 'string') problems.push(`${path}: expected a string, got ${describe(v)}`);
};

const bool: Check = (v, path, problems) => {
  if (typeof v !== 'boolean') problems.push(`${path}: expected true or false, got ${describe(v)}`);
};

const nullable =
  (inner: Check): Check =>
  (v, path, problems) => {
    if (v !== null) inner(v, path, problems);
  };

const optional =
  (inner: Check): Check =>
  (v, path, problems) => {
    if (v !== undefined) inner(v, path, problems);
  };

function oneOf(...values: readonly unknown[]): Check {
  return (v, path, problems) => {
    if (!values.includes(v))
      problems.push(`${path}: expected one of ${values.map((x) => JSON.stringify(x)).join(', ')}, got ${describe(v)}`);
  };
}

function arr(of: Check, opts: { nonEmpty?: boolean } = {}): Check {
  return (v, path, problems) => {
    if (!Array.isArray(v)) return void problems.push(`${path}: expected an array, got ${describe(v)}`);
    if (opts.nonEmpty && v.length === 0) problems.push(`${path}: expected at least one element`);
    v.forEach((x, i) => of(x, `${path}[${i}]`, problems));
  };
}

function obj(fields: Record<string, Check>): Check {
  return (v, path, problems) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      return void problems.push(`${path}: expected an object, got ${describe(v)}`);
    for (const [k, check] of Object.entries(fields)) check((v as Record<string, unknown>)[k], `${path}.${k}`, problems);
  };
}

/** An object whose keys are all of `keys` (when required) or a subset of them, each value checked by `of`. */
function record(keys: readonly string[], of: Check, opts: { all: boolean }): Check {
  return (v, path, problems) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      return void problems.push(`${path}: expected an object, got ${describe(v)}`);
    for (const k of Object.keys(v)) if (!keys.includes(k)) problems.push(`${path}.${k}: not a known figure`);
    for (const k of keys) {
      const x = (v as Record<string, unknown>)[k];
      if (x === undefined) {
        if (opts.all) problems.push(`${path}.${k}: missing`);
      } else of(x, `${path}.${k}`, problems);
    }
  };
}

const tolerance: Check = (v, path, problems) => {
  obj({ relative: optional(num({ min: 0 })), absolute: optional(num({ min: 0 })) })(v, path, problems);
  const t = v as { relative?: unknown; absolute?: unknown } | null;
  if (t && typeof t === 'object' && t.relative === undefined && t.absolute === undefined)
    problems.push(`${path}: needs relative or absolute`);
};

const count = num({ min: 1, integer: true });
const cellSpec = obj({
  strategy: str,
  dataset: str,
  n: count,
  dim: count,
  metric: oneOf('l2', 'ip', 'cosine'),
  M: count,
  efConstruction: count,
  ef: arr(count, { nonEmpty: true }),
  k: count,
  threads: count,
  seed: num({ min: 0, integer: true }),
  queries: count,
});

const machine = obj({
  cpu: str,
  cores: count,
  platform: str,
  arch: str,
  node: str,
  host: obj({ name: str, session: nullable(str) }),
});

const header = { version: num(), createdAt: str, command: str, machine, notes: str, checksum: str };

const detFigure = obj({
  value: num(),
  better: oneOf('lower', 'higher'),
  tolerance,
  runs: optional(arr(num())),
});

const deterministic = obj({
  ...header,
  entries: arr(
    obj({
      id: str,
      cell: str,
      kernel: str,
      kernelName: str,
      spec: cellSpec,
      datasetHash: str,
      figures: record(
        ['distanceEvalsPerInsert', 'nodesVisitedPerInsert', 'recallAtK', 'distanceEvalsPerQuery', 'bytesPerVector'],
        detFigure,
        { all: true },
      ),
    }),
  ),
});

const instructionFigure = obj({
  value: num({ min: 0 }),
  runs: arr(num({ min: 0 }), { nonEmpty: true }),
  spread: num({ min: 0 }),
  tolerance: obj({ relative: num({ min: 0 }) }),
  gated: bool,
});

const instructions = obj({
  ...header,
  entries: arr(
    obj({
      id: str,
      kernel: str,
      strategy: str,
      kernelName: str,
      spec: cellSpec,
      environment: obj({ node: str, v8: str, valgrind: str, glibc: str, arch: str, isa: str }),
      figures: record(['instructionsPerInsert', 'instructionsPerQuery'], instructionFigure, { all: false }),
    }),
  ),
});

const arm = obj({
  library: oneOf('hnswlab', 'hnswlib-node', 'usearch'),
  kernel: str,
  strategy: str,
  dataset: str,
  n: count,
  dim: count,
  metric: oneOf('l2', 'ip', 'cosine'),
  M: count,
  efConstruction: count,
  threads: count,
  seed: num({ min: 0, integer: true }),
});

const contention = obj({
  wallSeconds: num({ min: 0 }),
  othersCores: nullable(num()),
  stealShare: nullable(num({ min: 0 })),
  loadAverage: nullable(num({ min: 0 })),
  quiet: bool,
});

const timing = obj({
  ...header,
  entries: arr(
    obj({
      id: str,
      family: oneOf('kernel', 'strategy', 'peer', 'scale'),
      figure: str,
      candidate: arm,
      reference: arm,
      codePaths: str,
      clock: oneOf('cpu', 'wall'),
      processes: arr(obj({ ratios: arr(num({ min: 0 }), { nonEmpty: true }), contention }), { nonEmpty: true }),
      median: num({ min: 0 }),
      tolerance: obj({ relative: num({ min: 0 }) }),
      processSigma: num({ min: 0 }),
      gated: bool,
      note: optional(str),
    }),
  ),
});

const BY_SUITE: Record<Suite, Check> = { deterministic, instructions, timing };

/** Every problem with a parsed baseline of `suite`, as `path: what is wrong` lines (empty when it is sound). */
export function validateBaseline(value: unknown, suite: Suite): string[] {
  const problems: string[] = [];
  BY_SUITE[suite](value, '$', problems);
  return problems;
}
