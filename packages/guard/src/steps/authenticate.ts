// Step 2: who is calling. A bearer JWT access token is verified against the
// auth service's JWKS; a Basic request goes to the legacy fallback
// (./authenticate-basic.ts). The result is the Principal every later step reads.
import type { Next } from 'koa';
import type { ClientPolicyLookup } from '../client-policy.ts';
import type { GuardContext } from '../context.ts';
import type { TokenVerifier } from '../verify-token.ts';
import { basicAuthenticator, type BasicFallbackOptions } from './authenticate-basic.ts';
import { extractBearer } from './extract-bearer.ts';

export function authenticate(verifyToken: TokenVerifier, basic: BasicFallbackOptions, clients: ClientPolicyLookup) {
  const authenticateBasic = basicAuthenticator(basic, clients);
  return async function authenticateStep(ctx: GuardContext, next: Next): Promise<void> {
    ctx.state.principal = ctx.state.attempt.credential === 'basic'
      ? await authenticateBasic(ctx)
      : await verifyToken(extractBearer(ctx.get('authorization') || undefined));
    await next();
  };
}
