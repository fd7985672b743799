export * from './stats.js';
export * from './kernels.js';
export * from './cli.js';
