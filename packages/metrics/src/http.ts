// Koa middleware timing each request into `httpRequests`. The route label is
// the matched template (`/v1/orders/:id`), or the provider's route name, never
// the raw path, so unknown paths all count as `unmatched`.
import type { Context, Next } from 'koa';
import type { Metrics } from './metrics.ts';

export type RouteOf = (ctx: Context) => string | undefined;

const routerTemplate: RouteOf = (ctx) => (ctx as Context & { _matchedRoute?: unknown })._matchedRoute as string | undefined;

export function httpMetrics(metrics: Metrics, routeOf: RouteOf = routerTemplate) {
  return async function measureRequest(ctx: Context, next: Next): Promise<void> {
    const end = metrics.httpRequests.startTimer();
    try {
      await next();
    } finally {
      const route = routeOf(ctx);
      end({ method: ctx.method, route: typeof route === 'string' && route ? route : 'unmatched', status: String(ctx.status) });
    }
  };
}
