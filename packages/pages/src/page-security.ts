// Headers for every HTML page a service renders: a CSP with no inline script
// and no inline style (styles, and scripts where a service allows them, only
// from its own origin), no framing, no caching, no referrer. `form-action` must
// list where a form's redirect may lead, since browsers apply it to the
// redirect that follows the POST: our own origin, plus what the handler put in
// `ctx.state.formTargets` (an OAuth redirect URI's origin, the auth service).
import type { Context, Next } from 'koa';

export interface PageState {
  /** Origins a form on this page may end up redirecting to, besides our own. */
  formTargets?: string[];
}

export interface PageSecurityOptions {
  /** Responses left alone: pages another library renders under its own policy. */
  skip?: (ctx: Context) => boolean;
  /** Allows scripts from our own origin (static files; never inline). Off by default. */
  selfScripts?: boolean;
}

/** The Content-Security-Policy of a page whose forms may lead to `formTargets`. */
export function pagePolicy(formTargets: readonly string[], selfScripts = false): string {
  const targets = [...new Set(formTargets)].join(' ');
  return [
    "default-src 'none'",
    ...(selfScripts ? ["script-src 'self'", "connect-src 'none'"] : []),
    "style-src 'self'",
    "img-src 'self'",
    `form-action 'self'${targets ? ` ${targets}` : ''}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

export function pageSecurity(options: PageSecurityOptions = {}) {
  return async function pageSecurityHeaders(ctx: Context & { state: PageState }, next: Next): Promise<void> {
    await next();
    if (!ctx.response.is('html') || options.skip?.(ctx)) return;
    ctx.set('Content-Security-Policy', pagePolicy(ctx.state.formTargets ?? [], options.selfScripts));
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('X-Content-Type-Options', 'nosniff');
  };
}

export function originsOf(uris: readonly unknown[]): string[] {
  return uris.filter((u): u is string => typeof u === 'string' && URL.canParse(u)).map((u) => new URL(u).origin);
}
