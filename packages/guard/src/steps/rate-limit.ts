// Step 4: the client's own limits (burst, sustained rate, daily quota), picked
// by its tier; see ../client-limits.ts for how one decision is made.
import type { Next } from 'koa';
import type { ClientLimits } from '../client-limits.ts';
import type { GuardContext } from '../context.ts';

export function rateLimit(limits: ClientLimits) {
  return async function rateLimitStep(ctx: GuardContext, next: Next): Promise<void> {
    ctx.set({ ...(await limits.consume(ctx.state.client)) });
    await next();
  };
}
