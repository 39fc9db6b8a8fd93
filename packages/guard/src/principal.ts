// What the guard establishes about a caller, typed once so that every later
// step and handler reads the same fields from ctx.state.

export interface Principal {
  credential: 'bearer';
  /** The OAuth client (the partner's consumer-key). */
  clientId: string;
  /** The end user for user tokens; the client itself for client-credentials. */
  subject: string;
  partnerId: string | undefined;
  scopes: ReadonlySet<string>;
  tokenId: string;
  expiresAt: number;
}

export interface GuardState {
  principal: Principal;
  requestId?: string;
}
