// The Audit section: GET /partners/:slug/audit[?cursor=…], the partner's events
// only (registry.listAuditEvents with the partner filter), 50 to a page.
import Router from '@koa/router';
import type { Registry } from '@passerelle/registry';
import { auditPage } from '../pages/audit.ts';
import { scopeOf, type PortalContext, type PortalState } from '../state.ts';
import { render } from './forms.ts';

export function auditRoutes({ registry }: { registry: Registry }) {
  const router = new Router<PortalState>();
  router.get('/audit', async (ctx: PortalContext) => {
    const { viewer, partner } = scopeOf(ctx);
    const cursor = typeof ctx.query['cursor'] === 'string' ? ctx.query['cursor'] : undefined;
    const page = await registry.listAuditEvents({ partner: partner.slug, limit: 50, ...(cursor ? { cursor } : {}) });
    render(ctx, auditPage(viewer, partner, page.items, page.nextCursor));
  });
  return router;
}
