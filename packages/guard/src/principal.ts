// What the guard establishes about a caller, typed once so that every later
// step and handler reads the same fields from ctx.state.
import type { ClientPolicy } from './client-policy.ts';

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
  /** The token's jti; for credentials that are not tokens, a stable id of the credential. */
  tokenId: string;
  /** issued-at and expiry, epoch seconds */
  issuedAt: number;
  expiresAt: number;
}

/**
 * What the guard knows of a request before it is authenticated (and after it is
 * refused): the security event a refusal records is built from it.
 */
export interface AuthAttempt {
  /** The scheme of the Authorization header; 'none' without one. */
  credential: Credential | 'none';
  /** The client the credential named, once that client is known to exist. */
  clientId?: string;
  partnerId?: string;
  /** The request was refused because its address or consumer-key is locked out. */
  lockedOut?: 'ip' | 'consumer_key';
  /** This request's failure started a lockout. */
  startedLockout?: ('ip' | 'consumer_key')[];
}

export interface GuardState {
  /** Set by the first guard step on every request. */
  attempt: AuthAttempt;
  principal: Principal;
  /** The calling client's current policy, loaded after authentication. */
  client: ClientPolicy;
  requestId?: string;
  /** The request body's exact bytes, read before the guard (@passerelle/request-body). */
  rawBody?: Buffer;
}
