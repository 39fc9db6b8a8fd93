// Step 2, for an API key (`Authorization: Bearer psk_…`): the key must be one
// that was issued, is not revoked and has not expired. Every refusal is the
// same 401 invalid_token with an RFC 6750 challenge as a bad access token; the
// key itself never reaches a log line or an event. A key that passes acts as
// its client, with its own scopes: every later step (revocation, client
// policy, IP allowlist, signature, rate limit, scope) runs as for a token.
import { Problem } from '@passerelle/errors';
import { apiKeyFormat, type ApiKeyLookup } from '../api-keys.ts';
import type { GuardContext } from '../context.ts';
import type { Principal } from '../principal.ts';
import { extractBearer } from './extract-bearer.ts';

export function invalidApiKey(description: string): Problem {
  return new Problem('invalid_token', { detail: description, challenge: { error: 'invalid_token', error_description: description } });
}

export function apiKeyAuthenticator(lookup: ApiKeyLookup, now: () => number = Date.now) {
  return async function authenticateApiKey(ctx: GuardContext): Promise<Principal> {
    const key = extractBearer(ctx.get('authorization') || undefined);
    const grant = apiKeyFormat.test(key) ? await lookup(key) : undefined;
    if (!grant) throw invalidApiKey('the API key is not valid');
    Object.assign(ctx.state.attempt, { clientId: grant.clientId, partnerId: grant.partnerId });
    if (grant.revoked) throw invalidApiKey('the API key has been revoked');
    if (grant.expiresAt !== undefined && grant.expiresAt <= now()) throw invalidApiKey('the API key has expired');

    const seconds = Math.floor(now() / 1000);
    return {
      credential: 'api_key',
      clientId: grant.clientId,
      subject: grant.clientId,
      userId: undefined,
      partnerId: grant.partnerId,
      scopes: new Set(grant.scopes),
      // Not a token: the key's id, which revocations name; "issued" as it is checked.
      tokenId: grant.keyId,
      issuedAt: seconds,
      expiresAt: seconds,
    };
  };
}
