// oidc-provider configured for Passerelle. What it enforces:
// - client-credentials issues RFC 9068 JWT access tokens (typ at+jwt, ES256)
//   for the API's audience, carrying only scopes the client is registered for;
// - only client-authentication methods that never use the secret as an HMAC
//   key are enabled, since the stored secret is a hash (no client_secret_jwt,
//   no HS* algorithms anywhere): discovery advertises nothing else;
// - authorization code for end users: PKCE required for every client and S256
//   only (oidc-provider 9 knows no other method), exact redirect URIs, `iss` in
//   every authorization response (RFC 9207), an ID token for `openid`, and a
//   JWT access token for the API with the consented scopes (interactions/);
// - refresh tokens rotate on every use; presenting a used one revokes the whole
//   grant (oidc-provider's reuse detection; service.ts records the event);
// - development defaults (dev interactions, default account lookup, default
//   pages) are off: accounts come from the users table, pages from pages/;
// - Passerelle's own apps (clients of the reserved first-party partner, such
//   as the partner portal) get the scopes they ask for without a consent page:
//   the user is signing in to us, not granting a third party anything;
// - after a secret rotation, the previous secret authenticates only until its
//   grace ends, by the injected clock: it stops at that instant on its own.
import Provider, { errors, type Adapter, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { JWK } from 'jose';
import type { Accounts } from '@passerelle/accounts';
import { verifySecret, apiScopeNames, type Registry } from '@passerelle/registry';
import { userGrantable, userOnlyScopes } from './interactions/scopes.ts';
import { html, originsOf, type PageState } from '@passerelle/pages';
import { errorPage, logoutPage, signedOutPage } from './pages/messages.ts';

const asymmetric = ['ES256', 'PS256', 'RS256', 'EdDSA', 'Ed25519'] as const;

export interface ProviderOptions {
  issuer: string;
  audience: string;
  accessTokenTtl: number;
  jwks: { keys: JWK[] };
  cookieKeys: string[];
  adapters: (model: string) => Adapter;
  registry: Registry;
  accounts: Accounts;
  refreshTokenTtl: number;
  sessionTtl: number;
  /** Epoch milliseconds; the registry's clock, so grace ends agree with it. */
  now?: () => number;
}

/** The account behind a token request or an authorization, if any. */
function accountIdOf(ctx: KoaContextWithOIDC): string | undefined {
  return ctx.oidc.entities.Account?.accountId ?? ctx.oidc.session?.accountId;
}

function allowedScopes(client: { [key: string]: unknown }): string[] {
  const registered = String(client['allowed_scopes'] ?? '').split(' ');
  return registered.filter((s) => (apiScopeNames as readonly string[]).includes(s));
}

export function createProvider(options: ProviderOptions): Provider {
  const configuration: Configuration = {
    adapter: options.adapters,
    jwks: options.jwks as Configuration['jwks'],
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
      properties: ['partner_id', 'allowed_scopes', 'previous_secret_hash', 'previous_secret_expires_at', 'ip_allowlist'],
      validator(_ctx, key, value) {
        if ((key === 'partner_id' || key === 'allowed_scopes' || key === 'previous_secret_hash') && value !== undefined && typeof value !== 'string') {
          throw new errors.InvalidClientMetadata(`${key} must be a string`);
        }
        if (key === 'previous_secret_expires_at' && value !== undefined && typeof value !== 'number') {
          throw new errors.InvalidClientMetadata(`${key} must be a number`);
        }
        if (key === 'ip_allowlist' && value !== undefined && !(Array.isArray(value) && value.every((v) => typeof v === 'string'))) {
          throw new errors.InvalidClientMetadata('ip_allowlist must be an array of strings');
        }
      },
    },
    scopes: ['openid', 'offline_access', 'profile', 'email'],
    claims: { openid: ['sub'], profile: ['name'], email: ['email'] },
    async findAccount(_ctx, sub) {
      const user = await options.accounts.findActiveUser(sub);
      if (!user) return undefined;
      return {
        accountId: user.id,
        async claims(_use, scope) {
          const granted = new Set(scope.split(' '));
          return {
            sub: user.id,
            ...(granted.has('profile') ? { name: user.name } : {}),
            ...(granted.has('email') ? { email: user.email } : {}),
          };
        },
      };
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    async loadExistingGrant(ctx) {
      const client = ctx.oidc.client!;
      const session = ctx.oidc.session!;
      const grantId = ctx.oidc.result?.['consent']?.grantId ?? session.grantIdFor(client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      if (!session.accountId || !(await options.registry.isFirstPartyPartner(client['partner_id' as keyof typeof client]))) return undefined;
      const requested = String(ctx.oidc.params?.['scope'] ?? '');
      const grant = new ctx.oidc.provider.Grant({ accountId: session.accountId, clientId: client.clientId });
      grant.addOIDCScope(requested);
      grant.addResourceScope(options.audience, requested);
      await grant.save();
      return grant;
    },
    // PKCE already binds the code to the app's own request; `state` is required
    // too, so an app that forgot it learns at once instead of losing CSRF protection.
    extraParams: {
      state(ctx, value) {
        if (!value && ctx.oidc.route === 'authorization') throw new errors.InvalidRequest('state is required');
      },
    },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = errorPage('Something went wrong', out.error_description ?? 'The request could not be completed.');
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          const targets = (ctx.oidc.client?.postLogoutRedirectUris ?? []) as string[];
          (ctx.state as PageState).formTargets = originsOf(targets);
          ctx.type = 'html';
          ctx.body = logoutPage(html([form] as unknown as TemplateStringsArray), ctx.host);
        },
        async postLogoutSuccessSource(ctx) {
          ctx.type = 'html';
          ctx.body = signedOutPage(ctx.oidc.client?.clientName);
        },
      },
      clientCredentials: { enabled: true },
      revocation: { enabled: true },
      introspection: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => options.audience,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (ctx, resource, client) => {
          if (resource !== options.audience) throw new errors.InvalidTarget();
          const metadata = client as unknown as Record<string, unknown>;
          let scopes = allowedScopes(metadata);
          const accountId = accountIdOf(ctx);
          if (accountId) {
            const user = await options.accounts.findActiveUser(accountId);
            scopes = user ? userGrantable(scopes, user, metadata['partner_id']) : [];
          } else if (ctx.oidc.params?.['grant_type'] === 'client_credentials') {
            scopes = scopes.filter((scope) => !userOnlyScopes.has(scope)); // a client token has no user to describe
          }
          return {
            scope: scopes.join(' '),
            audience: options.audience,
            accessTokenTTL: options.accessTokenTtl,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'ES256' } },
          };
        },
      },
    },
    // partner_id names whose data the token reaches: the client's own partner for
    // client-credentials; for a user, the user's partner only if it is the client's.
    extraTokenClaims: async (ctx: KoaContextWithOIDC, token) => {
      const partnerId = ctx.oidc.client?.['partner_id' as keyof typeof ctx.oidc.client];
      if (typeof partnerId !== 'string') return undefined;
      const accountId = 'accountId' in token ? token.accountId : undefined;
      if (!accountId) return { partner_id: partnerId };
      const user = await options.accounts.findActiveUser(accountId);
      return user?.partnerId === partnerId ? { partner_id: partnerId } : undefined;
    },
    ttl: {
      ClientCredentials: options.accessTokenTtl,
      AccessToken: options.accessTokenTtl,
      IdToken: options.accessTokenTtl,
      AuthorizationCode: 60,
      Interaction: 10 * 60,
      Session: options.sessionTtl,
      Grant: options.refreshTokenTtl,
      RefreshToken: options.refreshTokenTtl,
    },
    pkce: { required: () => true },
    // Refresh tokens go to every client registered for the grant type, and are
    // single-use: each use returns a new one and consumes the old.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    cookies: {
      keys: options.cookieKeys,
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
  };

  const provider = new Provider(options.issuer, configuration);
  const now = options.now ?? Date.now;
  type StoredClient = { clientSecret: string; previous_secret_hash?: string; previous_secret_expires_at?: number };
  provider.Client.prototype.compareClientSecret = function compareClientSecret(this: StoredClient, actual: string) {
    const current = verifySecret(actual, this.clientSecret);
    const previousHash = this.previous_secret_hash;
    const graceEnd = this.previous_secret_expires_at;
    // Both comparisons always run, so timing does not tell which secret matched.
    const previous = previousHash !== undefined && graceEnd !== undefined && verifySecret(actual, previousHash) && now() < graceEnd;
    return current || previous;
  };
  return provider;
}
