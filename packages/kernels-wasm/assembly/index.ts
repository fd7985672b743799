// The module's exports. Every function reads and writes only the imported shared memory at the
// addresses the JS wrapper passes (see src/space-memory.ts): no globals, no allocation, no data
// segment, so any number of instances, one per thread, can run over the same memory. Imports: the
// memory, a clock (clock.ts) and the space's allocator (scratch.ts).
export { l2Rows, l2Row, l2FirstNearer } from './l2';
export { dotRows, dotRow, dotFirstNearer } from './dot';
export { ipRows, ipRow, ipFirstNearer } from './ip';
export { l2Distance, l2Descend, l2SearchLayer, l2SearchLayerFrom, l2Search, l2Insert } from './l2-traversal';
export { dotDistance, dotDescend, dotSearchLayer, dotSearchLayerFrom, dotSearch, dotInsert } from './dot-traversal';
export { ipDistance, ipDescend, ipSearchLayer, ipSearchLayerFrom, ipSearch, ipInsert } from './ip';
export { traversalLayout } from './traversal-state';
export { f16Decode, f16L2Rows, f16L2Row, f16L2FirstNearer, f16DotRows, f16DotRow, f16DotFirstNearer } from './f16';
export { i8L2Rows, i8L2Row, i8L2FirstNearer, i8DotRows, i8DotRow, i8DotFirstNearer } from './i8';
export { b1Rows, b1Row, b1FirstNearer } from './b1';
export { b1Distance, b1Descend, b1SearchLayer, b1SearchLayerFrom, b1Search, b1Insert } from './b1-traversal';
