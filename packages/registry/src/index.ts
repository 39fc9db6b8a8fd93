export { createRegistry, type Registry, type ClientView, type IssuedCredentials } from './registry.ts';
export { generateConsumerKey, generateConsumerSecret, hashSecret, verifySecret } from './credentials.ts';
export { apiScopes, apiScopeNames, grantTypes, type ApiScope, type GrantType } from './scopes.ts';
export { createClientInput, createPartnerInput, redirectUri, validate, type CreateClientInput, type CreatePartnerInput } from './inputs.ts';
