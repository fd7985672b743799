// 1 − dot for the ip metric: the same float32 loop as cosine (dot.ts), 16 lanes in four v128
// accumulators. Rows are not unit vectors here, so 1 − dot can cancel near 0; the conformance bound
// for ip and cosine is relative to Σ|aᵢ·bᵢ| (the error bound of any float32 dot product), which this
// loop meets at every dim, as @hnswlab/kernels-native's and hnswlib's float32 inner products do.
// Compiled with --enable simd. The fused traversal's ip entry points are cosine's (dot-traversal.ts).
export { dotRows as ipRows, dotRow as ipRow, dotFirstNearer as ipFirstNearer } from './dot';
export {
  dotDistance as ipDistance,
  dotDescend as ipDescend,
  dotSearchLayer as ipSearchLayer,
  dotSearchLayerFrom as ipSearchLayerFrom,
  dotSearch as ipSearch,
  dotInsert as ipInsert,
} from './dot-traversal';
