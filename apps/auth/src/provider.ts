// oidc-provider configured for Passerelle. What it enforces:
// - client-credentials issues RFC 9068 JWT access tokens (typ at+jwt, ES256)
//   for the API's audience, carrying only scopes the client is registered for;
// - only client-authentication methods that never use the secret as an HMAC
//   key are enabled, since the stored secret is a hash (no client_secret_jwt,
//   no HS* algorithms anywhere): discovery advertises nothing else;
// - development defaults (dev interactions, default account lookup) are off.
import Provider, { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { JWK } from 'jose';
import { verifySecret, apiScopeNames, type Registry } from '@passerelle/registry';
import type { KeyValueStore } from '@passerelle/store';
import { createAdapterFactory } from './adapter.ts';

const asymmetric = ['ES256', 'PS256', 'RS256', 'EdDSA', 'Ed25519'] as const;

export interface ProviderOptions {
  issuer: string;
  audience: string;
  accessTokenTtl: number;
  jwks: { keys: JWK[] };
  cookieKeys: string[];
  kv: KeyValueStore;
  registry: Registry;
}

function allowedScopes(client: { [key: string]: unknown }): string {
  const registered = String(client['allowed_scopes'] ?? '').split(' ');
  return registered.filter((s) => (apiScopeNames as readonly string[]).includes(s)).join(' ');
}

export function createProvider(options: ProviderOptions): Provider {
  const configuration: Configuration = {
    adapter: createAdapterFactory(options.kv, options.registry),
    jwks: options.jwks as Configuration['jwks'],
    cookies: { keys: options.cookieKeys },
    clientDefaults: { id_token_signed_response_alg: 'ES256', grant_types: ['client_credentials'], response_types: [] },
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    enabledJWA: {
      clientAuthSigningAlgValues: asymmetric,
      requestObjectSigningAlgValues: asymmetric,
      idTokenSigningAlgValues: ['ES256'],
      userinfoSigningAlgValues: ['ES256'],
      introspectionSigningAlgValues: ['ES256'],
      authorizationSigningAlgValues: ['ES256'],
    },
    extraClientMetadata: {
      properties: ['partner_id', 'allowed_scopes'],
      validator(_ctx, key, value) {
        if ((key === 'partner_id' || key === 'allowed_scopes') && value !== undefined && typeof value !== 'string') {
          throw new errors.InvalidClientMetadata(`${key} must be a string`);
        }
      },
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      revocation: { enabled: true },
      introspection: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => options.audience,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, resource, client) => {
          if (resource !== options.audience) throw new errors.InvalidTarget();
          return {
            scope: allowedScopes(client as unknown as Record<string, unknown>),
            audience: options.audience,
            accessTokenTTL: options.accessTokenTtl,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'ES256' } },
          };
        },
      },
    },
    extraTokenClaims: async (ctx: KoaContextWithOIDC) => {
      const partnerId = ctx.oidc.client?.['partner_id' as keyof typeof ctx.oidc.client];
      return typeof partnerId === 'string' ? { partner_id: partnerId } : undefined;
    },
    ttl: {
      ClientCredentials: options.accessTokenTtl,
      AccessToken: options.accessTokenTtl,
    },
    pkce: { required: () => true },
    findAccount: async () => undefined,
  };

  const provider = new Provider(options.issuer, configuration);
  provider.Client.prototype.compareClientSecret = function compareClientSecret(this: { clientSecret: string }, actual: string) {
    return verifySecret(actual, this.clientSecret);
  };
  return provider;
}
