// Security events: one shape, one level, so an alert rule can match them all.
// Every event is logged at `warn` with an `event` name from the table below
// (also in the README), a bounded `reason`, and whatever identifies the caller
// without being a secret (clientId, ip, requestId). Refused authentications on
// the API are also written to the audit trail (apps/api security-events.ts).
import type { Logger } from 'pino';

export type SecurityEventName =
  | 'auth.refused'         // a credential was refused (reason: invalid_token, invalid_client, insufficient_scope…)
  | 'auth.lockout'         // a brute-force lockout started (reason: which lock)
  | 'rate_limit.rejected'  // a rate limit, quota or lockout refused a request (reason: the limiter)
  | 'signature.refused'    // an HMAC request signature was refused (reason: skew, replay, mismatch…)
  | 'token.revoked'        // an access token was revoked (RFC 7009)
  | 'client.revoked'       // every token of a client was revoked (disabled, deleted, end of a secret-rotation grace)
  | 'user.revoked'         // every session, grant and token of an end user was ended (password change, logout everywhere)
  | 'revocation.refused';  // a client tried to revoke a token it does not own

export interface SecurityEventFields {
  reason?: string | undefined;
  clientId?: string | undefined;
  ip?: string | undefined;
  requestId?: string | undefined;
  [field: string]: unknown;
}

export function securityEvent(log: Logger, event: SecurityEventName, fields: SecurityEventFields = {}): void {
  log.warn({ ...fields, event }, event);
}
