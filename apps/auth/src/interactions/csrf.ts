// CSRF protection for the sign-in pages' forms (OWASP CSRF Cheat Sheet,
// "signed double-submit cookie"). Each browser gets a random, HttpOnly,
// SameSite=Strict cookie; a form's token is an HMAC of that cookie and of what
// the form acts on (the interaction's uid, or the password page). A forged form
// can neither read the cookie nor compute the HMAC, and a token taken from one
// interaction does not fit another. oidc-provider's own interaction cookie
// already ties the uid to this browser; this adds a second, independent check.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';

const COOKIE = 'passerelle.csrf';

export interface Csrf {
  /** The token to embed in a form acting on `binding`; sets the cookie when missing. */
  issue(ctx: Context, binding: string): string;
  verify(ctx: Context, binding: string, token: unknown): boolean;
}

export function createCsrf(key: string, secure: boolean): Csrf {
  const mac = (seed: string, binding: string) => createHmac('sha256', key).update(`${seed}\n${binding}`).digest('base64url');
  return {
    issue(ctx, binding) {
      let seed = ctx.cookies.get(COOKIE);
      if (!seed || !/^[\w-]{43}$/.test(seed)) {
        seed = randomBytes(32).toString('base64url');
        ctx.cookies.set(COOKIE, seed, { httpOnly: true, sameSite: 'strict', secure, path: '/', signed: false, overwrite: true });
      }
      return mac(seed, binding);
    },
    verify(ctx, binding, token) {
      const seed = ctx.cookies.get(COOKIE);
      if (!seed || typeof token !== 'string') return false;
      const expected = Buffer.from(mac(seed, binding));
      const actual = Buffer.from(token);
      return expected.length === actual.length && timingSafeEqual(expected, actual);
    },
  };
}
