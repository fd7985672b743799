import { crc32 } from 'node:zlib';
import { PHASES, SCHEMA_VERSION, type CellResult } from './cell-result.js';

/** The checksum ends each line, after the entry's own JSON: `{"key":…,"block":…,"result":…,"crc32":"89abcdef"}`. */
const CRC_TAIL = /,"crc32":"([0-9a-f]{8})"\}$/;

/** One journal line: the entry's JSON with a CRC-32 of that JSON as its last field. */
export function formatJournalLine(key: string, block: string, result: CellResult): string {
  const body = JSON.stringify({ key, block, result });
  return `${body.slice(0, -1)},"crc32":"${hex(crc32(body))}"}`;
}

/**
 * A journal line back as its entry, or what is wrong with it: torn, damaged (checksum), not JSON, or
 * not a result this harness can put in a report (the fields the reports read, with their types, and a
 * key that matches the result's spec).
 */
export function parseJournalLine(line: string): { key: string; result: CellResult } | { problem: string } {
  const tail = CRC_TAIL.exec(line);
  if (!tail) return { problem: line.trimStart().startsWith('{') ? 'incomplete or without a checksum' : 'not a journal entry' };
  const body = `${line.slice(0, tail.index)}}`;
  const actual = hex(crc32(body));
  if (actual !== tail[1]) return { problem: `checksum is ${actual}, the line says ${tail[1]} (the line is damaged)` };
  let entry: unknown;
  try {
    entry = JSON.parse(body);
  } catch (err) {
    return { problem: `not JSON (${(err as Error).message})` };
  }
  const problem = entryProblem(entry);
  return problem ? { problem } : (entry as { key: string; result: CellResult });
}

type Shape = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'number|null' | 'object|null' | 'string?' | 'object?' | 'array?';

/** The first field of `value` that does not have its shape, as "field x is …; expected …". */
function fieldsProblem(value: unknown, where: string, fields: Record<string, Shape>): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `${where} is ${describe(value)}; expected an object`;
  const o = value as Record<string, unknown>;
  for (const [name, shape] of Object.entries(fields)) {
    const v = o[name];
    const ok = shape.split('|').some((s) => {
      if (s.endsWith('?') && v === undefined) return true;
      const t = s.replace('?', '');
      if (t === 'null') return v === null;
      if (t === 'array') return Array.isArray(v);
      if (t === 'object') return typeof v === 'object' && v !== null && !Array.isArray(v);
      return typeof v === t;
    });
    if (!ok) return `${where}.${name} is ${describe(v)}; expected ${shape.replace('?', ' or absent').replace('|', ' or ')}`;
  }
  return undefined;
}

const BYTES: Record<string, Shape> = { vectors: 'number', graph: 'number', other: 'number', total: 'number' };

function entryProblem(entry: unknown): string | undefined {
  const top = fieldsProblem(entry, 'entry', { key: 'string', block: 'string', result: 'object' });
  if (top) return top;
  const { key, result } = entry as { key: string; result: Record<string, unknown> };
  const r = fieldsProblem(result, 'result', {
    id: 'string',
    library: 'string',
    status: 'string',
    reason: 'string?',
    spec: 'object',
    startedAt: 'string',
    wallSeconds: 'number',
    kernelName: 'string?',
    dataset: 'object?',
    build: 'object?',
    search: 'array?',
    memory: 'object?',
  });
  if (r) return r;
  if (result.schemaVersion !== SCHEMA_VERSION)
    return `result.schemaVersion is ${describe(result.schemaVersion)}; expected ${SCHEMA_VERSION}`;
  if (!['ok', 'unavailable', 'failed'].includes(result.status as string))
    return `result.status is ${describe(result.status)}; expected ok, unavailable or failed`;
  const spec = result.spec as Record<string, unknown>;
  const expectedKey = result.library === 'hnswlab' ? `cell||${JSON.stringify(spec)}` : `peer|${String(result.library)}|`;
  if (result.library === 'hnswlab' ? key !== expectedKey : !key.startsWith(expectedKey))
    return `entry.key does not match result.spec (library ${describe(result.library)})`;
  if (result.status !== 'ok') return undefined;
  if (!result.build || !result.search) return `result.${result.build ? 'search' : 'build'} is absent; expected it for status ok`;
  const b = fieldsProblem(result.build, 'result.build', {
    seconds: 'number',
    secondsPerRepeat: 'array',
    vectorsPerSecond: 'number',
    distanceEvalsPerInsert: 'number|null',
    nodesVisitedPerInsert: 'number|null',
    phaseSeconds: 'object|null',
    phaseShares: 'object|null',
    lockWaitSeconds: 'number|null',
  });
  if (b) return b;
  const build = result.build as Record<string, unknown>;
  for (const name of ['phaseSeconds', 'phaseShares'] as const) {
    if (build[name] === null) continue;
    const p = fieldsProblem(build[name], `result.build.${name}`, Object.fromEntries(PHASES.map((ph) => [ph, 'number' as Shape])));
    if (p) return p;
  }
  const search = result.search as unknown[];
  if (search.length === 0) return 'result.search is empty; expected a point per ef';
  for (let i = 0; i < search.length; i++) {
    const p = fieldsProblem(search[i], `result.search[${i}]`, {
      ef: 'number',
      recall: 'number',
      qps: 'number',
      p50Ms: 'number',
      p99Ms: 'number',
      meanMs: 'number',
      distanceEvalsPerQuery: 'number|null',
      passes: 'number',
    });
    if (p) return p;
  }
  if (result.memory) {
    const m =
      fieldsProblem(result.memory, 'result.memory', {
        vectors: 'number',
        indexBytes: 'object',
        bytesPerVector: 'object',
        rawVectorBytes: 'number',
        indexToRawRatio: 'number',
        rssGrowthBytes: 'number',
        externalGrowthBytes: 'number',
        arrayBuffersGrowthBytes: 'number',
        heapUsedGrowthBytes: 'number',
        rssToRawRatio: 'number',
        gcForced: 'boolean',
        indexBytesSource: 'string',
      }) ??
      fieldsProblem((result.memory as Record<string, unknown>).indexBytes, 'result.memory.indexBytes', BYTES) ??
      fieldsProblem((result.memory as Record<string, unknown>).bytesPerVector, 'result.memory.bytesPerVector', BYTES);
    if (m) return m;
  }
  if (result.dataset)
    return fieldsProblem(result.dataset, 'result.dataset', {
      id: 'string',
      name: 'string',
      n: 'number',
      dim: 'number',
      queries: 'number',
      hash: 'string',
      groundTruth: 'string',
    });
  return undefined;
}

function describe(v: unknown): string {
  if (v === undefined) return 'absent';
  if (Array.isArray(v)) return 'an array';
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function hex(v: number): string {
  return v.toString(16).padStart(8, '0');
}
