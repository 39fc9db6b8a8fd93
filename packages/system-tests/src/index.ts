export { startStack, type Stack, type StackOptions } from './stack.ts';
export { createTestDatabase, testRedisPrefix, backendsInUse, type TestDatabase } from './backends.ts';
export { registerClient, tokenRequest, getToken, callApi, basic, type TestClient } from './oauth.ts';
