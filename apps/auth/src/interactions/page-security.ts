// Headers for every HTML page the auth service renders, its own and the
// provider's: a CSP with no script at all and styles only from our stylesheet,
// no framing, no caching. `form-action` must list where a form's redirect may
// lead, since browsers apply it to the redirect that follows the POST: our own
// origin plus the app's redirect URIs when the page finishes an authorization.
// The provider's form_post answer (authorization and resume routes) carries its
// own inline script and keeps the service-wide helmet policy, which allows it.
import type { Context, Next } from 'koa';

const providerRendered = new Set(['authorization', 'resume']);

export interface PageState {
  /** Origins a form on this page may end up redirecting to, besides our own. */
  formTargets?: string[];
}

export function pageSecurity() {
  return async function pageSecurityHeaders(ctx: Context & { state: PageState }, next: Next): Promise<void> {
    await next();
    const route = (ctx as { oidc?: { route?: string } }).oidc?.route;
    if (!ctx.response.is('html') || (route && providerRendered.has(route))) return;
    const targets = [...new Set(ctx.state.formTargets ?? [])].join(' ');
    ctx.set('Content-Security-Policy', [
      "default-src 'none'",
      "style-src 'self'",
      "img-src 'self'",
      `form-action 'self'${targets ? ` ${targets}` : ''}`,
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ].join('; '));
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Referrer-Policy', 'no-referrer');
  };
}

export function originsOf(uris: readonly unknown[]): string[] {
  return uris.filter((u): u is string => typeof u === 'string' && URL.canParse(u)).map((u) => new URL(u).origin);
}
