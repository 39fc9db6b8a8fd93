// CORS (Fetch standard, "CORS protocol") from an allowlist only.
// - An allowed origin gets `Access-Control-Allow-Origin` naming exactly that
//   origin; any other origin gets no CORS header at all, so the browser keeps
//   the response from the page. The request's Origin is never copied back
//   unless it is on the list, and `*` is never sent.
// - No credentials mode: the API authenticates with headers, never cookies.
// - Every OPTIONS is answered here with 204, before the guard: a preflight
//   carries no credentials, and the API has no other use for OPTIONS.
// - `Vary: Origin` on every response, so a cache never serves one origin's
//   answer to another.
import type { Context, Next } from 'koa';

export interface CorsOptions {
  /** Serialized origins (`https://app.example.com`), see parseOrigins. */
  origins: readonly string[];
  methods?: readonly string[];
  /** Request headers a page may send. */
  allowHeaders?: readonly string[];
  /** Response headers a page may read. */
  exposeHeaders?: readonly string[];
  /** How long a browser may cache a preflight, in seconds. */
  maxAgeSeconds?: number;
}

export function cors(options: CorsOptions) {
  const allowed = new Set(options.origins);
  const methods = (options.methods ?? ['GET', 'POST', 'PUT', 'DELETE']).join(', ');
  const allowHeaders = (options.allowHeaders ?? ['Authorization', 'Content-Type']).join(', ');
  const exposeHeaders = (options.exposeHeaders ?? []).join(', ');
  const maxAge = String(options.maxAgeSeconds ?? 600);

  return async function corsStep(ctx: Context, next: Next): Promise<void> {
    ctx.vary('Origin');
    const origin = ctx.get('origin');
    const isAllowed = origin !== '' && allowed.has(origin);

    if (ctx.method === 'OPTIONS') {
      ctx.status = 204;
      if (isAllowed && ctx.get('access-control-request-method')) {
        ctx.set({
          'Access-Control-Allow-Origin': origin,
          'Access-Control-Allow-Methods': methods,
          'Access-Control-Allow-Headers': allowHeaders,
          'Access-Control-Max-Age': maxAge,
        });
      }
      return;
    }
    if (isAllowed) {
      ctx.set('Access-Control-Allow-Origin', origin);
      if (exposeHeaders) ctx.set('Access-Control-Expose-Headers', exposeHeaders);
    }
    await next();
  };
}
