// recall@k by distance lives in @hnswlab/datasets, shared with the harness; re-exported here so the suites keep their import.
export { recallByDistance } from '@hnswlab/datasets';
