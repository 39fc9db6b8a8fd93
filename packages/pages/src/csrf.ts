// CSRF protection for server-rendered forms (OWASP CSRF Cheat Sheet, "signed
// double-submit cookie"). Each browser gets a random, HttpOnly, SameSite=Strict
// cookie; a form's token is an HMAC of that cookie and of what the form acts on
// (an interaction's uid, a portal session and the action). A forged form can
// neither read the cookie nor compute the HMAC, and a token taken from one
// binding does not fit another. Used by the auth service's sign-in pages and by
// the partner portal.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';

const DEFAULT_COOKIE = 'passerelle.csrf';

export interface Csrf {
  /** The token to embed in a form acting on `binding`; sets the cookie when missing. */
  issue(ctx: Context, binding: string): string;
  verify(ctx: Context, binding: string, token: unknown): boolean;
}

/**
 * `key` signs the tokens; `secure` marks the cookie Secure (the page is served
 * over HTTPS); `cookie` names it (a `__Host-` name needs `secure`).
 */
export function createCsrf(key: string, secure: boolean, cookie = DEFAULT_COOKIE): Csrf {
  if (cookie.startsWith('__Host-') && !secure) throw new Error('a __Host- cookie must be Secure');
  const mac = (seed: string, binding: string) => createHmac('sha256', key).update(`${seed}\n${binding}`).digest('base64url');
  return {
    issue(ctx, binding) {
      let seed = ctx.cookies.get(cookie);
      if (!seed || !/^[\w-]{43}$/.test(seed)) {
        seed = randomBytes(32).toString('base64url');
        ctx.cookies.set(cookie, seed, { httpOnly: true, sameSite: 'strict', secure, path: '/', signed: false, overwrite: true });
      }
      return mac(seed, binding);
    },
    verify(ctx, binding, token) {
      const seed = ctx.cookies.get(cookie);
      if (!seed || typeof token !== 'string') return false;
      const expected = Buffer.from(mac(seed, binding));
      const actual = Buffer.from(token);
      return expected.length === actual.length && timingSafeEqual(expected, actual);
    },
  };
}
