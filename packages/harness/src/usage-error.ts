// One UsageError for every lab CLI, so each exits 2 on it the same way.
export { UsageError } from '@hnswlab/lab-kit';
