export * from './stats.js';
export * from './kernels.js';
