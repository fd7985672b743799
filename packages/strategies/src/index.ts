export { parallel } from './parallel.js';
export { segmented } from './segmented.js';
export { rounds } from './rounds.js';
export { registerAll } from './register-all.js';
export type { StrategyOptions } from './strategy-options.js';
