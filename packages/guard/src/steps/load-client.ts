// Step 3: the calling client must still exist and be active. A token outlives
// neither its client's deletion nor its disabling (revocation covers the
// tokens; this covers the window before the revocation arrives).
import type { Next } from 'koa';
import { Problem } from '@passerelle/errors';
import type { ClientPolicyLookup } from '../client-policy.ts';
import type { GuardContext } from '../context.ts';

export function loadClient(lookup: ClientPolicyLookup) {
  return async function loadClientStep(ctx: GuardContext, next: Next): Promise<void> {
    const client = await lookup(ctx.state.principal.clientId);
    if (!client?.active) {
      throw new Problem('invalid_token', {
        detail: 'the client is not active',
        challenge: { error: 'invalid_token', error_description: 'the client is not active' },
      });
    }
    ctx.state.client = client;
    await next();
  };
}
