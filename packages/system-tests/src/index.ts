export { startStack, type Stack, type StackOptions } from './stack.ts';
export { createTestDatabase, testRedisPrefix, backendsInUse, type TestDatabase } from './backends.ts';
export { registerClient, tokenRequest, getToken, callApi, refusedByApi, basic, type TestClient } from './oauth.ts';
export { adminCaller, type AdminAnswer, type AdminCaller } from './admin.ts';
export { orderCaller, sampleOrder, type OrderCaller } from './orders.ts';
export { callApiSigned, signatureFor, signingCredentials } from './oauth.ts';
export { UserAgent, csrfOf, type Page } from './user-agent.ts';
export {
  registerApp, createUser, pkcePair, authorizationUrl, signIn, authorize, tokenCall, redeemCode, refresh, signedIn, asksForPassword,
  type TestApp, type TestUser, type Authorized, type AuthorizeOptions,
} from './users.ts';
export { launchBrowser, newContext, screenshot, signInToPortal, type BrowserFindings } from './portal-browser.ts';
