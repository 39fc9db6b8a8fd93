// The one table of Passerelle's machine-readable error codes. Every non-OAuth
// error a service renders carries one of these in its problem+json `code`; the
// README's table is checked against this object, so the two cannot drift.

export const errorCodes = {
  invalid_request: { status: 400, title: 'The request is malformed or missing a required parameter.' },
  validation_failed: { status: 400, title: 'A field of the request is invalid.' },
  unknown_field: { status: 400, title: 'The request has a field this operation does not accept.' },
  invalid_redirect_uri: { status: 400, title: 'A redirect URI must be https without a fragment (http only for loopback).' },
  unknown_scope: { status: 400, title: 'A scope is not one the API defines.' },
  invalid_cidr: { status: 400, title: 'An IP allowlist entry is not a valid IPv4 or IPv6 CIDR.' },
  scope_not_allowed: { status: 400, title: 'An API key may carry only scopes its client is allowed (not admin or profile).' },
  grace_out_of_range: { status: 400, title: 'The secret-rotation grace period is outside the allowed range.' },
  ip_outside_bounds: { status: 400, title: 'An IP allowlist entry lies outside the ranges an administrator allows this partner.' },
  authentication_required: { status: 401, title: 'This resource needs credentials: a bearer access token.' },
  invalid_token: { status: 401, title: 'The access token is missing, malformed, expired or revoked.' },
  invalid_credentials: { status: 401, title: 'The credentials are not valid.' },
  signature_required: { status: 401, title: 'This request must carry an x-signature for this client.' },
  invalid_signature: { status: 401, title: 'The x-signature is malformed, names the wrong key or does not match the request.' },
  signature_expired: { status: 401, title: 'The x-signature timestamp is more than 300 seconds from the server clock.' },
  signature_replayed: { status: 401, title: 'This x-signature has already been used.' },
  insufficient_scope: { status: 403, title: 'The token does not carry the scope this resource requires.' },
  ip_not_allowed: { status: 403, title: 'This client may not be used from this IP address.' },
  forbidden: { status: 403, title: 'This caller may not perform this action.' },
  not_found: { status: 404, title: 'No such resource.' },
  method_not_allowed: { status: 405, title: 'This method is not allowed on this resource.' },
  request_timeout: { status: 408, title: 'The request was not received in time.' },
  conflict: { status: 409, title: 'The request conflicts with the current state of the resource.' },
  precondition_failed: { status: 412, title: 'The resource has changed since the version given in If-Match.' },
  payload_too_large: { status: 413, title: 'The request body is too large.' },
  unsupported_media_type: { status: 415, title: 'The request body must be application/json.' },
  idempotency_key_reused: { status: 422, title: 'This Idempotency-Key was already used with a different request.' },
  precondition_required: { status: 428, title: 'This request must carry If-Match with the resource\'s current ETag.' },
  rate_limited: { status: 429, title: 'Too many requests; retry after the delay given in Retry-After.' },
  quota_exceeded: { status: 429, title: 'The daily request quota is spent; it renews at midnight UTC (see Retry-After).' },
  internal_error: { status: 500, title: 'An unexpected error occurred; it has been logged.' },
  service_unavailable: { status: 503, title: 'A dependency is unavailable; retry shortly.' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof errorCodes;

export function statusOf(code: ErrorCode): number {
  return errorCodes[code].status;
}
