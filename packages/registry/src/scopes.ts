// The API's scopes, each with the plain words a consent page shows. A client is
// registered with a subset; the authorization server never grants more.
export const apiScopes = {
  'profile': 'See your name and email address',
  'partner:read': 'Read your organization’s profile',
  'orders:read': 'Read your organization’s orders',
  'orders:write': 'Create, change and delete your organization’s orders',
  'admin': 'Administer partners and clients',
} as const;

export type ApiScope = keyof typeof apiScopes;
export const apiScopeNames = Object.keys(apiScopes) as [ApiScope, ...ApiScope[]];

/** The scopes a partner may give its own credentials: everything but `admin`. */
export const partnerScopeNames = apiScopeNames.filter((s) => s !== 'admin') as [ApiScope, ...ApiScope[]];

/** The reserved partner owning Passerelle's own apps (first-party.ts). */
export const FIRST_PARTY_SLUG = 'passerelle-first-party';

export const grantTypes = ['client_credentials', 'authorization_code', 'refresh_token'] as const;
export type GrantType = (typeof grantTypes)[number];
