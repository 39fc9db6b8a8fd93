// What the guard establishes about a caller, typed once so that every later
// step and handler reads the same fields from ctx.state.

/** How the caller authenticated: a JWT access token, the legacy Basic fallback, or an API key. */
export type Credential = 'bearer' | 'basic' | 'api_key';

export interface Principal {
  credential: Credential;
  /** The OAuth client (the partner's consumer-key). */
  clientId: string;
  /** The end user for user tokens; the client itself for client-credentials. */
  subject: string;
  /** The end user behind a user token (authorization code); undefined for client tokens. */
  userId: string | undefined;
  partnerId: string | undefined;
  scopes: ReadonlySet<string>;
  tokenId: string;
  /** issued-at and expiry, epoch seconds */
  issuedAt: number;
  expiresAt: number;
}

export interface GuardState {
  principal: Principal;
  requestId?: string;
}
