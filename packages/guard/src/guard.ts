// The resource server's guard, as a pipeline read top to bottom:
//   extract the bearer token → verify it → check revocation → rate-limit the client
// then the route's requireScope(...) and handler. Each step throws a typed
// Problem; the service's one error renderer turns it into a response.
import type { Context, Next } from 'koa';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { Problem } from '@passerelle/errors';
import type { RevocationMirror } from '@passerelle/revocation';
import { extractBearer } from './extract-bearer.ts';
import type { GuardState } from './principal.ts';
import { consumeRate } from './rate-limit.ts';
import type { TokenVerifier } from './verify-token.ts';

export interface GuardOptions {
  verifyToken: TokenVerifier;
  revocation: Pick<RevocationMirror, 'isRevoked'>;
  /** The per-client limiter for a client (its tier decides which). */
  limiterFor: (clientId: string) => Promise<RateLimiterAbstract>;
}

export function createGuard({ verifyToken, revocation, limiterFor }: GuardOptions) {
  return async function guard(ctx: Context & { state: GuardState }, next: Next): Promise<void> {
    const token = extractBearer(ctx.get('authorization') || undefined);
    const principal = await verifyToken(token);
    const { tokenId: jti, issuedAt: iat, clientId, userId } = principal;
    if (revocation.isRevoked({ jti, iat, clientId, userId })) {
      throw new Problem('invalid_token', {
        detail: 'the token has been revoked',
        challenge: { error: 'invalid_token', error_description: 'the token has been revoked' },
      });
    }
    const headers = await consumeRate(await limiterFor(principal.clientId), 'client', principal.clientId);
    ctx.set({ ...headers });
    ctx.state.principal = principal;
    await next();
  };
}
