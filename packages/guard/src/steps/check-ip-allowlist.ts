// After load-client: the client's IP allowlist (seed: IP filtering). A client
// whose record lists CIDR ranges may call only from an address inside one of
// them; an empty list means any address. The address is `ctx.ip`, which the
// service resolved first thing (X-Forwarded-For believed only from trusted
// proxies, see @passerelle/client-ip). A refusal is 403 ip_not_allowed: the
// token is good but is used from the wrong network, so it is likely leaked,
// and the renderer records it as a security event.
import type { Next } from 'koa';
import { isAddressAllowed } from '@passerelle/client-ip';
import { Problem } from '@passerelle/errors';
import type { GuardContext } from '../context.ts';

export function checkIpAllowlist() {
  return async function checkIpAllowlistStep(ctx: GuardContext, next: Next): Promise<void> {
    const { ipAllowlist } = ctx.state.client;
    if (ipAllowlist.length > 0 && !isAddressAllowed(ipAllowlist, ctx.ip || undefined)) {
      throw new Problem('ip_not_allowed', { detail: 'This client is not allowed to call from this address.' });
    }
    await next();
  };
}
