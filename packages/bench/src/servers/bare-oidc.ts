// The token endpoint's floor: oidc-provider alone, with one static client, its
// built-in memory adapter and the same token format as ours (RFC 9068 JWT,
// ES256, one audience), so the comparison measures what Passerelle adds.
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type Configuration } from 'oidc-provider';
import { serveForBench } from '../child.ts';
import { listenEphemeral } from './listen.ts';

export const BARE_CLIENT = { clientId: 'bench-client', clientSecret: 'bench-secret-that-is-long-enough-for-basic-auth' };

serveForBench(async () => {
  const http = await listenEphemeral();
  const issuer = http.url;
  const audience = process.env['API_AUDIENCE'] ?? 'http://api.bench.invalid';

  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), alg: 'ES256', use: 'sig', kid: 'bench' };
  const configuration: Configuration = {
    clients: [{
      client_id: BARE_CLIENT.clientId,
      client_secret: BARE_CLIENT.clientSecret,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'ES256',
    }],
    jwks: { keys: [jwk] } as Configuration['jwks'],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => audience,
        useGrantedResource: async () => true,
        getResourceServerInfo: async () => ({
          scope: 'partner:read orders:read',
          audience,
          accessTokenTTL: 600,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'ES256' } },
        }),
      },
    },
  };
  const provider = new Provider(issuer, configuration);
  http.server.on('request', provider.callback());
  return { urls: { auth: issuer }, fixtures: BARE_CLIENT, stop: async () => http.close() };
});
