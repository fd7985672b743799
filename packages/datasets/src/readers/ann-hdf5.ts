/** An ann-benchmarks HDF5 file: `train` (base), `test` (queries), `neighbors`, and its `distance` attribute. */
export interface AnnHdf5 {
  readonly dim: number;
  readonly train: Float32Array;
  readonly trainRows: number;
  readonly totalTrainRows: number;
  readonly test: Float32Array;
  readonly testRows: number;
  /** Row-major testRows × neighborsK exact neighbour ids, when the file has them; each a train row. */
  readonly neighbors?: Int32Array;
  readonly neighborsK?: number;
  /** 'euclidean', 'angular', ... as the file says. */
  readonly distance?: string;
}
