// Headers every API response carries, health checks and errors included:
// - helmet's defaults (nosniff, frame and referrer policies...) with a
//   CSP for a JSON API that never serves a page: nothing may load, frame it or
//   be submitted to it (OWASP REST Security cheat sheet); HSTS is left to the
//   transport, which sends it on HTTPS responses only;
// - `Cache-Control: no-store`: responses hold partner data and must not
//   be kept by shared or browser caches.
import type { Context, Next } from 'koa';
import compose from 'koa-compose';
import helmet from 'koa-helmet';

const noPageCsp = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
    frameAncestors: ["'none'"],
  },
};

async function noStore(ctx: Context, next: Next): Promise<void> {
  ctx.set('Cache-Control', 'no-store');
  await next();
}

export function securityHeaders() {
  return compose([helmet({ contentSecurityPolicy: noPageCsp, strictTransportSecurity: false }), noStore]);
}
