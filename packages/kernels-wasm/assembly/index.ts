// The module's exports. Every function reads and writes only the imported shared memory at the
// addresses the JS wrapper passes (see src/space-memory.ts): no globals, no allocation, no data
// segment, so any number of instances, one per thread, can run over the same memory.
export { l2Rows, l2Row, l2FirstNearer } from './l2';
export { dotRows, dotRow, dotFirstNearer } from './dot';
export { ipRows, ipRow, ipFirstNearer } from './ip';
