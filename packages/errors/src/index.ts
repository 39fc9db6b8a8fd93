export { errorCodes, statusOf, type ErrorCode } from './codes.ts';
export { Problem, isProblem, type ProblemOptions } from './problem.ts';
export { renderErrors, challengeHeader, type RenderOptions } from './render.ts';
