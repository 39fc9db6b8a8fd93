export { cors, type CorsOptions } from './cors.ts';
export { parseOrigins, originProblem } from './origins.ts';
