// Step 2: who is calling. A bearer JWT access token is verified against the
// auth service's JWKS; an API key (`Bearer psk_…`) is looked up
// (./authenticate-api-key.ts); a Basic request goes to the legacy fallback
// (./authenticate-basic.ts). The result is the Principal every later step reads.
import type { Next } from 'koa';
import type { ApiKeyLookup } from '../api-keys.ts';
import type { ClientPolicyLookup } from '../client-policy.ts';
import type { GuardContext } from '../context.ts';
import type { TokenVerifier } from '../verify-token.ts';
import { apiKeyAuthenticator } from './authenticate-api-key.ts';
import { basicAuthenticator, type BasicFallbackOptions } from './authenticate-basic.ts';
import { extractBearer } from './extract-bearer.ts';

export interface Authenticators {
  verifyToken: TokenVerifier;
  apiKeys: ApiKeyLookup;
  basic: BasicFallbackOptions;
  clients: ClientPolicyLookup;
}

export function authenticate({ verifyToken, apiKeys, basic, clients }: Authenticators) {
  const authenticateBasic = basicAuthenticator(basic, clients);
  const authenticateApiKey = apiKeyAuthenticator(apiKeys);
  return async function authenticateStep(ctx: GuardContext, next: Next): Promise<void> {
    const { credential } = ctx.state.attempt;
    ctx.state.principal = credential === 'basic' ? await authenticateBasic(ctx)
      : credential === 'api_key' ? await authenticateApiKey(ctx)
      : await verifyToken(extractBearer(ctx.get('authorization') || undefined));
    await next();
  };
}
