// The one place a portal error becomes a page. A typed Problem keeps its status
// and, below 500, its detail; anything else is logged and shown as a bare 500
// that says nothing of its cause. A 404 reads the same whether the thing does
// not exist or belongs to someone else.
import type { Next } from 'koa';
import { isProblem } from '@passerelle/errors';
import type { Logger } from '@passerelle/log';
import { errorPage } from './pages/messages.ts';
import type { PortalContext } from './state.ts';

const titles: Record<number, string> = {
  400: 'This request could not be used',
  401: 'Please sign in again',
  403: 'This action was refused',
  404: 'Page not found',
  405: 'Page not found',
  409: 'This could not be done now',
  429: 'Please slow down',
};

export function renderErrorPages(log: Logger) {
  return async function renderErrorPage(ctx: PortalContext, next: Next): Promise<void> {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        ctx.status = 404;
        ctx.type = 'html';
        ctx.body = errorPage(404, titles[404]!, 'There is nothing here, or nothing you may see.', ctx.state.viewer);
      }
    } catch (err) {
      const problem = isProblem(err) ? err : undefined;
      const status = problem?.status ?? 500;
      if (status >= 500) log.error({ err, requestId: ctx.state.requestId }, 'portal request failed');
      const message = status === 404
        ? 'There is nothing here, or nothing you may see.'
        : problem?.expose ? problem.detail ?? problem.message : 'Something went wrong on our side. It has been logged; please try again.';
      ctx.status = status;
      if (problem) ctx.set(problem.headers); // Retry-After on a 429
      ctx.type = 'html';
      ctx.body = errorPage(status, titles[status] ?? 'Something went wrong', message, ctx.state.viewer);
    }
  };
}
