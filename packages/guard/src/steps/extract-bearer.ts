// RFC 6750 §2.1: the token travels in the Authorization header only (never in
// the query string, where it would end up in logs). No credentials at all gets
// a bare challenge (§3.1: no error code); a malformed header is invalid_request.
import { Problem } from '@passerelle/errors';

// The scheme name is case-insensitive (RFC 9110 §11.1): `bearer …` is the same credential.
const bearer = /^bearer ([A-Za-z0-9\-._~+/]+=*)$/i;

export function extractBearer(authorization: string | undefined): string {
  if (!authorization) throw new Problem('authentication_required', { challenge: {} });
  const match = bearer.exec(authorization);
  if (!match) {
    throw new Problem('invalid_request', {
      detail: 'The Authorization header must be `Bearer <token>`.',
      challenge: { error: 'invalid_request', error_description: 'malformed Authorization header' },
    });
  }
  return match[1]!;
}
