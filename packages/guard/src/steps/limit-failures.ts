// Step 1: unauthenticated and failed requests are limited per IP address. Every
// request that does not authenticate (no credentials, a malformed header, a bad,
// expired or revoked token, bad Basic credentials, an inactive client) counts;
// once an address reaches the limit it is locked out, and answered 429 with
// Retry-After whatever it sends, until the lockout ends.
import type { Next } from 'koa';
import { isProblem } from '@passerelle/errors';
import type { GuardContext } from '../context.ts';
import { lockedOut, type FailureGate } from '../failure-gate.ts';

function isFailedAuthentication(err: unknown, authenticated: boolean): boolean {
  if (!isProblem(err)) return false;
  return err.status === 401 || (err.status === 400 && !authenticated);
}

export function limitFailures(ipFailures: FailureGate) {
  return async function limitFailuresStep(ctx: GuardContext, next: Next): Promise<void> {
    const retryAfter = ipFailures.lockedFor(ctx.ip);
    if (retryAfter !== undefined) {
      ctx.state.attempt.lockedOut = 'ip';
      throw lockedOut(retryAfter);
    }
    try {
      await next();
    } catch (err) {
      if (isFailedAuthentication(err, ctx.state.principal !== undefined) && await ipFailures.fail(ctx.ip)) {
        (ctx.state.attempt.startedLockout ??= []).push('ip');
      }
      throw err;
    }
  };
}
