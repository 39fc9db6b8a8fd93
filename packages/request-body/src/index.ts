export { readBody, type BodyState, type ReadBodyOptions } from './read-body.ts';
export { parseJson, validate, type ParseJsonOptions } from './parse-json.ts';
export { nestsDeeperThan } from './json-depth.ts';
