export { cacheDir } from './cache-dir.js';
export { emitCacheWarning, openCacheFile, sealCacheFile, writeCacheFile, type CacheWarn, type OpenedCacheFile } from './cache-file.js';
export { datasetHash } from './dataset-hash.js';
export { FileFormatError } from './file-format-error.js';
export {
  GLOVE_DIM,
  GLOVE_PACKAGE,
  GLOVE_VERSION,
  findGloveJson,
  gloveInstallCommand,
  gloveInstallDir,
  gloveSplit,
  readGloveMatrix,
  type GloveMatrix,
} from './glove.js';
export {
  DATASET_IDS,
  DatasetUnavailableError,
  loadDataset,
  registerDatasetLoader,
  type DatasetRequest,
  type LoadedDataset,
} from './load-dataset.js';
export { recallByDistance, type RankedDistances } from './recall-by-distance.js';
export { checkNeighborIds } from './readers/check-neighbor-ids.js';
export type { AnnHdf5 } from './readers/ann-hdf5.js';
export { readAnnHdf5 } from './readers/read-hdf5.js';
export { encodeNpy, readNpy } from './readers/read-npy.js';
export { encodeVecs, readBvecs, readFvecs, readIvecs, type Matrix } from './readers/read-vecs.js';
export { SeededRandom, clusteredSet, uniformSet, type SyntheticOptions, type VectorSet } from './synthetic.js';
