export { createGuard, type GuardOptions } from './guard.ts';
export { createTokenVerifier, type TokenVerifier, type TokenVerifierOptions } from './verify-token.ts';
export { requireScope } from './require-scope.ts';
export { extractBearer } from './extract-bearer.ts';
export { consumeRate } from './rate-limit.ts';
export type { Principal, GuardState } from './principal.ts';
