// Which scopes a user may grant, and the plain words the consent page shows for
// each. API scopes take their words from @passerelle/registry; the OpenID ones
// are described here.
// - A user token never carries `admin`.
// - Scopes on a partner's data reach only the partner the user belongs to, and
//   only when the app asking is that same partner's: a user of one partner
//   signing in to another partner's app grants it nothing over either's data.
import { apiScopes, type ApiScope } from '@passerelle/registry';

const openIdScopes: Record<string, string> = {
  openid: 'Know who you are when you sign in',
  offline_access: 'Stay connected when you are not using it',
  email: 'See your email address',
};

const partnerScopes = new Set<string>(['partner:read', 'orders:read', 'orders:write']);

/** Scopes about the signed-in user, meaningless in a client-credentials token. */
export const userOnlyScopes: ReadonlySet<string> = new Set(['profile']);

export function describeScope(scope: string): string {
  return openIdScopes[scope] ?? apiScopes[scope as ApiScope] ?? scope;
}

/** The API scopes `user` may hold in a token for `client` (from the client's registered ones). */
export function userGrantable(registered: readonly string[], user: { partnerId: string | null }, clientPartnerId: unknown): string[] {
  const member = user.partnerId !== null && user.partnerId === clientPartnerId;
  return registered.filter((scope) => scope !== 'admin' && (member || !partnerScopes.has(scope)));
}
