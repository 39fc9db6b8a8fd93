// Maps a registered client to oidc-provider's client metadata. `client_secret`
// holds the stored one-way hash: compareClientSecret (provider.ts) hashes what
// the client presents before comparing, so the hash itself never authenticates.
// During a secret-rotation grace the previous hash and its end travel along, and
// compareClientSecret accepts the previous secret only before that end.
import type { AdapterPayload } from 'oidc-provider';
import type { Client } from '@passerelle/db';

export function clientMetadata(client: Client): AdapterPayload {
  const usesCode = client.grantTypes.includes('authorization_code');
  return {
    client_id: client.clientId,
    client_secret: client.secretHash,
    client_name: client.name,
    grant_types: client.grantTypes,
    redirect_uris: client.redirectUris,
    // RP-initiated logout may return only to a URI the client registered, matched exactly.
    post_logout_redirect_uris: usesCode ? client.redirectUris : [],
    response_types: usesCode ? ['code'] : [],
    token_endpoint_auth_method: 'client_secret_basic',
    partner_id: client.partnerId,
    allowed_scopes: client.allowedScopes.join(' '),
    ip_allowlist: client.ipAllowlist,
    ...(client.previousSecretHash && client.previousSecretExpiresAt
      ? { previous_secret_hash: client.previousSecretHash, previous_secret_expires_at: client.previousSecretExpiresAt.getTime() }
      : {}),
  };
}
