// RFC 6750 §3.1 insufficient_scope: the token is good but does not carry what
// this route needs. The challenge names the scope so the partner knows what to ask for.
import type { Context, Next } from 'koa';
import { Problem } from '@passerelle/errors';
import type { GuardState } from './principal.ts';

export function requireScope(scope: string) {
  return async function checkScope(ctx: Context & { state: GuardState }, next: Next): Promise<void> {
    if (!ctx.state.principal.scopes.has(scope)) {
      throw new Problem('insufficient_scope', {
        detail: `This resource requires the scope "${scope}".`,
        challenge: { error: 'insufficient_scope', scope, error_description: `requires ${scope}` },
      });
    }
    await next();
  };
}
