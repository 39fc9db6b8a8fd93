// The one table of Passerelle's machine-readable error codes. Every non-OAuth
// error a service renders carries one of these in its problem+json `code`; the
// README's table is checked against this object, so the two cannot drift.

export const errorCodes = {
  invalid_request: { status: 400, title: 'The request is malformed or missing a required parameter.' },
  validation_failed: { status: 400, title: 'A field of the request is invalid.' },
  authentication_required: { status: 401, title: 'This resource needs credentials: a bearer access token.' },
  invalid_token: { status: 401, title: 'The access token is missing, malformed, expired or revoked.' },
  invalid_credentials: { status: 401, title: 'The credentials are not valid.' },
  insufficient_scope: { status: 403, title: 'The token does not carry the scope this resource requires.' },
  forbidden: { status: 403, title: 'This caller may not perform this action.' },
  not_found: { status: 404, title: 'No such resource.' },
  method_not_allowed: { status: 405, title: 'This method is not allowed on this resource.' },
  request_timeout: { status: 408, title: 'The request was not received in time.' },
  conflict: { status: 409, title: 'The request conflicts with the current state of the resource.' },
  precondition_failed: { status: 412, title: 'The resource has changed since the version given in If-Match.' },
  payload_too_large: { status: 413, title: 'The request body is too large.' },
  unsupported_media_type: { status: 415, title: 'The request body must be application/json.' },
  rate_limited: { status: 429, title: 'Too many requests; retry after the delay given in Retry-After.' },
  internal_error: { status: 500, title: 'An unexpected error occurred; it has been logged.' },
  service_unavailable: { status: 503, title: 'A dependency is unavailable; retry shortly.' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof errorCodes;

export function statusOf(code: ErrorCode): number {
  return errorCodes[code].status;
}
