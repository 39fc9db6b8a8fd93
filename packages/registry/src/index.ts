export { createRegistry, type Registry } from './registry.ts';
export type { RegistryOptions } from './deps.ts';
export type { IssuedCredentials } from './clients.ts';
export type { RotatedSecret } from './rotation.ts';
export type { AuditEventView } from './audit-log.ts';
export { after, decodeCursor, toPage, type Page } from './pagination.ts';
export { clientView, partnerView, type ClientView, type PartnerView } from './views.ts';
export { generateConsumerKey, generateConsumerSecret, hashSecret, verifySecret } from './credentials.ts';
export { canonicalCidr, isCidr } from './cidr.ts';
export { apiScopes, apiScopeNames, partnerScopeNames, grantTypes, type ApiScope, type GrantType } from './scopes.ts';
export { FIRST_PARTY_PARTNER, type FirstPartyClient } from './first-party.ts';
export {
  createClientInput, createPartnerInput, partnerClientInput, ipAllowlistInput, type PartnerClientInput, updateClientInput, updatePartnerInput, rotateSecretInput,
  clientListInput, partnerListInput, auditQueryInput, createApiKeyInput, apiKeyListInput, redirectUri, validate, MAX_GRACE_SECONDS,
  rotateSigningKeyInput, retireSigningKeyInput, type RotateSigningKeyInput, type RetireSigningKeyInput,
  type CreateClientInput, type CreatePartnerInput, type UpdateClientInput, type UpdatePartnerInput,
  type RotateSecretInput, type ClientListInput, type PartnerListInput, type AuditQueryInput,
  type CreateApiKeyInput, type ApiKeyListInput,
} from './inputs.ts';
export { createSecretVerifier, type SecretVerifier, type SecretVerifierOptions, type StoredSecrets } from './secret-verifier.ts';
export { createSigningKeyRegistry, type SigningKeyRegistry, type ClientSigningKey } from './signing-keys.ts';
export type { ApiKeyStatus, ApiKeyView, IssuedApiKey, PartnerScope } from './api-keys.ts';
export { API_KEY_PATTERN, API_KEY_PREFIX, hashApiKey, isApiKeyFormat } from './api-key-format.ts';
