/** An ann-benchmarks HDF5 file: `train` (base), `test` (queries), `neighbors`, and its `distance` attribute. */
export interface AnnHdf5 {
  readonly dim: number;
  readonly train: Float32Array;
  readonly trainRows: number;
  readonly totalTrainRows: number;
  readonly test: Float32Array;
  readonly testRows: number;
  /** Row-major testRows × neighborsK exact neighbour ids, when the file has them. */
  readonly neighbors?: Int32Array;
  readonly neighborsK?: number;
  /** 'euclidean', 'angular', ... as the file says. */
  readonly distance?: string;
}

interface H5Dataset {
  shape: number[] | null;
  slice(ranges: Array<[number, number] | []>): unknown;
}
interface H5File {
  get(path: string): unknown;
  attrs: Record<string, { value: unknown }>;
  close(): void;
}
interface H5Module {
  ready: Promise<unknown>;
  File: new (file: string, mode: 'r') => H5File;
}

/**
 * Read an ann-benchmarks HDF5 file (the first `maxTrain` base rows and `maxTest` queries) with h5wasm,
 * HDF5 compiled to WebAssembly, which reads the real filesystem under Node.
 */
export async function readAnnHdf5(file: string, maxTrain = Infinity, maxTest = Infinity): Promise<AnnHdf5> {
  let h5: H5Module;
  try {
    const mod = (await import('h5wasm/node')) as { default?: H5Module } & H5Module;
    h5 = mod.default ?? mod;
    await h5.ready;
  } catch (err) {
    throw new Error(`reading HDF5 needs h5wasm, which did not load: ${(err as Error).message}`, { cause: err });
  }
  const f = new h5.File(file, 'r');
  try {
    const ds = (name: string) => {
      const d = f.get(name) as H5Dataset | null;
      if (!d || !Array.isArray(d.shape) || d.shape.length !== 2)
        throw new RangeError(`${file}: no 2-D dataset '${name}' (ann-benchmarks files have train, test, neighbors)`);
      return d;
    };
    const rows = (d: H5Dataset, max: number) => {
      const [total, dim] = d.shape as number[];
      const n = Math.min(total, max);
      const raw = d.slice([[0, n], []]);
      const out = raw instanceof Float32Array ? raw : Float32Array.from(raw as ArrayLike<number>);
      return { data: out, rows: n, total, dim };
    };
    const train = rows(ds('train'), maxTrain);
    const test = rows(ds('test'), maxTest);
    if (test.dim !== train.dim) throw new RangeError(`${file}: train has dim ${train.dim}, test ${test.dim}`);
    let neighbors: Int32Array | undefined;
    let neighborsK: number | undefined;
    const nb = f.get('neighbors') as H5Dataset | null;
    if (nb && Array.isArray(nb.shape) && nb.shape.length === 2) {
      neighborsK = nb.shape[1];
      const raw = nb.slice([[0, test.rows], []]);
      neighbors = raw instanceof Int32Array ? raw : Int32Array.from(raw as ArrayLike<number | bigint>, Number);
    }
    const distance = f.attrs?.distance?.value;
    return {
      dim: train.dim,
      train: train.data,
      trainRows: train.rows,
      totalTrainRows: train.total,
      test: test.data,
      testRows: test.rows,
      neighbors,
      neighborsK,
      distance: typeof distance === 'string' ? distance : undefined,
    };
  } finally {
    f.close();
  }
}
