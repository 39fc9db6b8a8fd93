// One access-log line per request, tied to a request id that the caller may
// supply (X-Request-Id, if it looks like an id) or that we generate; the id is
// echoed back so partners can quote it to support.
import { randomUUID } from 'node:crypto';
import type { Context, Next } from 'koa';
import type { Logger } from 'pino';

const acceptableId = /^[A-Za-z0-9._:-]{8,128}$/;

export function requestLogger(log: Logger) {
  return async function logRequest(ctx: Context, next: Next): Promise<void> {
    const offered = ctx.get('x-request-id');
    const requestId = acceptableId.test(offered) ? offered : randomUUID();
    (ctx.state as { requestId?: string }).requestId = requestId;
    ctx.set('X-Request-Id', requestId);
    const started = performance.now();
    try {
      await next();
    } finally {
      log.info({
        requestId, method: ctx.method, path: ctx.path, status: ctx.status,
        ms: Math.round((performance.now() - started) * 10) / 10, ip: ctx.ip,
      }, 'request');
    }
  };
}
