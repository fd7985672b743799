export { SeededRandom, clusteredSet, uniformSet, type SyntheticOptions, type VectorSet } from './synthetic.js';
