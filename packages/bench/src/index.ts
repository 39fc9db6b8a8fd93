export { runBench, type BenchOptions, type BenchResults, type Measured } from './run.ts';
