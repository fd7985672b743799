// The fused traversal's state block, as assembly/traversal-state.ts declares it: the fields in the
// same order with the same types, laid out with natural alignment as the AssemblyScript compiler
// lays out an unmanaged class. The tests compare these offsets with the module's own
// (`traversalLayout`), so a field added on one side only fails there, not in a wrong graph.

const FIELDS = [
  ['header', 'u32'],
  ['levels', 'u32'],
  ['links0', 'u32'],
  ['upperOffset', 'u32'],
  ['upper', 'u32'],
  ['deleted', 'u32'],
  ['locks', 'u32'],
  ['touched', 'u32'],
  ['undo', 'u32'],
  ['M', 'i32'],
  ['capacity', 'i32'],
  ['base', 'u32'],
  ['dim', 'i32'],
  ['ownQuery', 'u32'],
  ['queryRow', 'i32'],
  ['efConstruction', 'i32'],
  ['locking', 'i32'],
  ['timing', 'i32'],
  ['visited', 'u32'],
  ['epoch', 'u32'],
  ['cand', 'u32'],
  ['candCap', 'i32'],
  ['res', 'u32'],
  ['resCap', 'i32'],
  ['outRows', 'u32'],
  ['outDists', 'u32'],
  ['entries', 'u32'],
  ['ids', 'u32'],
  ['chosen', 'u32'],
  ['chosenDists', 'u32'],
  ['pruneRows', 'u32'],
  ['pruneDists', 'u32'],
  ['prunedRows', 'u32'],
  ['prunedDists', 'u32'],
  ['bestDist', 'f32'],
  ['errorRow', 'i32'],
  ['allow', 'u32'],
  ['allowWords', 'i32'],
  ['distanceEvals', 'f64'],
  ['nodesVisited', 'f64'],
  ['navigation', 'f64'],
  ['neighborSearch', 'f64'],
  ['connectionManagement', 'f64'],
  ['lockSpins', 'f64'],
  ['lockWait', 'f64'],
] as const;

export type StateField = (typeof FIELDS)[number][0];

function layout(): { offsets: Record<StateField, number>; bytes: number } {
  const offsets = {} as Record<StateField, number>;
  let at = 0;
  for (const [name, type] of FIELDS) {
    const size = type === 'f64' ? 8 : 4;
    at = Math.ceil(at / size) * size;
    offsets[name] = at;
    at += size;
  }
  return { offsets, bytes: Math.ceil(at / 8) * 8 };
}

const computed = layout();

/** Byte offset of each field in the state block. */
export const STATE: Readonly<Record<StateField, number>> = computed.offsets;
/** Bytes of the state block. */
export const STATE_BYTES = computed.bytes;
/** The field names in declaration order (the order `traversalLayout` writes their offsets in). */
export const STATE_FIELDS: readonly StateField[] = FIELDS.map(([name]) => name);

/** The counters a traversal keeps, as WorkCounters names them (f64 fields of the state). */
export const COUNTER_FIELDS = [
  'distanceEvals',
  'nodesVisited',
  'navigation',
  'neighborSearch',
  'connectionManagement',
  'lockSpins',
  'lockWait',
] as const;
