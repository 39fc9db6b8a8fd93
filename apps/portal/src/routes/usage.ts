// The Usage section: GET /partners/:slug/usage, per client of the partner,
// from the usage counters the API's rate-limit step keeps (@passerelle/usage).
import Router from '@koa/router';
import type { Registry } from '@passerelle/registry';
import type { UsageReader } from '@passerelle/usage';
import { usagePage } from '../pages/usage.ts';
import { scopeOf, type PortalContext, type PortalState } from '../state.ts';
import { render } from './forms.ts';

export function usageRoutes({ registry, usage }: { registry: Registry; usage: UsageReader }) {
  const router = new Router<PortalState>();
  router.get('/usage', async (ctx: PortalContext) => {
    const { viewer, partner, bounded } = scopeOf(ctx);
    const clients = await registry.listPartnerClients(partner.slug, bounded);
    const counts = await usage(clients);
    render(ctx, usagePage(viewer, partner, counts.map((c, i) => ({ ...c, name: clients[i]!.name }))));
  });
  return router;
}
