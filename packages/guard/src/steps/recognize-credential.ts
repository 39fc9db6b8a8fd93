// Step 0: which credential the request presents, from the Authorization
// scheme, so that a refusal can say what was refused (without the credential
// itself). A Bearer value with the API-key prefix (`psk_`) is an API key, not
// a JWT. Basic is the deprecated fallback: every response to a Basic request,
// success or error, carries the Deprecation (RFC 9745), Link rel="deprecation"
// and Sunset (RFC 8594) fields given here.
import type { Next } from 'koa';
import type { GuardContext } from '../context.ts';
import type { AuthAttempt } from '../principal.ts';

export function schemeOf(authorization: string): AuthAttempt['credential'] {
  if (!authorization) return 'none';
  if (/^basic(?: |$)/i.test(authorization)) return 'basic';
  return /^bearer psk_/i.test(authorization) ? 'api_key' : 'bearer';
}

export function recognizeCredential(basicResponseHeaders: Readonly<Record<string, string>>) {
  return async function recognizeCredentialStep(ctx: GuardContext, next: Next): Promise<void> {
    const credential = schemeOf(ctx.get('authorization'));
    ctx.state.attempt = { credential };
    if (credential === 'basic') ctx.set({ ...basicResponseHeaders });
    await next();
  };
}
