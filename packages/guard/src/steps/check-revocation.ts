// Step 2: a revoked token (its jti, or a "not before" on its client or user) is
// refused, and so is a revoked API key (by its id: the broadcast reaches every
// process within a second, before any cached copy of the key expires). The check is against the process's in-memory mirror, so it costs no
// store round trip; a mirror that has gone stale throws 503 rather than pass.
import type { Next } from 'koa';
import { Problem } from '@passerelle/errors';
import type { RevocationMirror } from '@passerelle/revocation';
import type { GuardContext } from '../context.ts';
import { invalidApiKey } from './authenticate-api-key.ts';

export function checkRevocation(revocation: Pick<RevocationMirror, 'isRevoked' | 'isApiKeyRevoked'>) {
  return async function checkRevocationStep(ctx: GuardContext, next: Next): Promise<void> {
    const { credential, tokenId: jti, issuedAt: iat, clientId, userId } = ctx.state.principal;
    if (credential === 'api_key') {
      if (revocation.isApiKeyRevoked(jti)) throw invalidApiKey('the API key has been revoked');
      return next();
    }
    // Always asked, so a stale mirror fails closed; but a Basic credential was
    // checked against the client's current record just now, so it has no issue
    // time a revocation could predate. (Nor has an API key: a client's "not
    // before" does not end its keys; a disabled client does, at load-client.)
    if (revocation.isRevoked({ jti, iat, clientId, userId }) && credential === 'bearer') {
      throw new Problem('invalid_token', {
        detail: 'the token has been revoked',
        challenge: { error: 'invalid_token', error_description: 'the token has been revoked' },
      });
    }
    await next();
  };
}
