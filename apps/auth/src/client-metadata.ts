// Maps a registered client to oidc-provider's client metadata. `client_secret`
// holds the stored one-way hash: compareClientSecret (provider.ts) hashes what
// the client presents before comparing, so the hash itself never authenticates.
import type { AdapterPayload } from 'oidc-provider';
import type { Client, Partner } from '@passerelle/db';

export function clientMetadata(client: Client & { partner: Partner }): AdapterPayload {
  const usesCode = client.grantTypes.includes('authorization_code');
  return {
    client_id: client.clientId,
    client_secret: client.secretHash,
    client_name: client.name,
    grant_types: client.grantTypes,
    redirect_uris: client.redirectUris,
    response_types: usesCode ? ['code'] : [],
    token_endpoint_auth_method: 'client_secret_basic',
    partner_id: client.partnerId,
    allowed_scopes: client.allowedScopes.join(' '),
  };
}
