// The resource server's guard: the pipeline every API request runs before its
// route, in this order. Each step is one small module under ./steps and throws
// a typed Problem; the service's one error renderer turns it into a response.
import compose from 'koa-compose';
import type { RevocationMirror } from '@passerelle/revocation';
import type { ApiKeyLookup } from './api-keys.ts';
import type { ClientLimits } from './client-limits.ts';
import type { ClientPolicyLookup } from './client-policy.ts';
import type { GuardContext } from './context.ts';
import type { FailureGate } from './failure-gate.ts';
import { authenticate } from './steps/authenticate.ts';
import type { BasicFallbackOptions } from './steps/authenticate-basic.ts';
import { checkIpAllowlist } from './steps/check-ip-allowlist.ts';
import { checkRevocation } from './steps/check-revocation.ts';
import { limitFailures } from './steps/limit-failures.ts';
import { loadClient } from './steps/load-client.ts';
import { rateLimit } from './steps/rate-limit.ts';
import { recognizeCredential } from './steps/recognize-credential.ts';
import { verifySignature, type SignatureCheck } from './steps/verify-signature.ts';
import type { TokenVerifier } from './verify-token.ts';

export interface GuardOptions {
  verifyToken: TokenVerifier;
  /** API keys (`Bearer psk_…`): the issued key behind a presented one. */
  apiKeys: ApiKeyLookup;
  revocation: Pick<RevocationMirror, 'isRevoked' | 'isApiKeyRevoked'>;
  clients: ClientPolicyLookup;
  /** Each client's rate limits and daily quota, by tier. */
  limits: ClientLimits;
  /** Failed authentications per IP address. */
  ipFailures: FailureGate;
  /** The legacy Basic fallback. */
  basic: BasicFallbackOptions;
  /** Request signatures: the verifier, and where refusals are logged. */
  signatures: SignatureCheck;
}

export function createGuard(options: GuardOptions) {
  return compose<GuardContext>([
    recognizeCredential(options.basic.responseHeaders), // which credential; Basic answers carry Deprecation
    limitFailures(options.ipFailures),   // per IP: failed authentications lock the address out
    authenticate(options),               // who: bearer JWT, API key, or the Basic fallback
    checkRevocation(options.revocation), // still valid: jti, client and user "not before", API key id
    loadClient(options.clients),         // client exists and is active; its policies
    checkIpAllowlist(),                  // caller's address is in the client's IP allowlist
    verifySignature(options.signatures),  // x-signature, as the client's policy requires
    rateLimit(options.limits),           // per-client burst, rate and daily quota by tier
  ]);
}
