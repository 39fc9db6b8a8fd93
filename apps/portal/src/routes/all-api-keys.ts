// Administrators only (members get 404): every partner's API keys in one list,
// the portal's face of the admin API's GET /api-keys with its filters
// (registry.listApiKeys validates them). Creating and revoking stay on each
// partner's own API keys page, which an admin reaches from here: one flow,
// one confirmation, one audit.
//   GET /api-keys?partner=&status=&cursor=
import Router from '@koa/router';
import type { Next } from 'koa';
import { FIRST_PARTY_SLUG, type Registry } from '@passerelle/registry';
import { allApiKeysPage } from '../pages/all-api-keys.ts';
import type { PortalContext, PortalState } from '../state.ts';
import { attempt, render } from './forms.ts';

type Step = (ctx: PortalContext, next: Next) => Promise<void>;

export function allApiKeysRoutes({ registry, guard }: { registry: Registry; guard: Step[] }) {
  const router = new Router<PortalState>();

  router.get('/api-keys', ...guard, async (ctx: PortalContext) => {
    const text = (name: string) => (typeof ctx.query[name] === 'string' ? (ctx.query[name] as string).trim() : '');
    const filters = { partner: text('partner'), status: text('status') };
    const cursor = text('cursor');
    const partners = (await registry.listPartners({ limit: 200 })).items.filter((p) => p.slug !== FIRST_PARTY_SLUG);
    const result = await attempt(ctx, () => registry.listApiKeys({
      limit: 100, ...(filters.partner ? { partner: filters.partner } : {}), ...(filters.status ? { status: filters.status as 'active' } : {}), ...(cursor ? { cursor } : {}),
    }));
    render(ctx, allApiKeysPage({
      viewer: ctx.state.viewer!, partners, filters,
      ...(result.ok ? { keys: result.value.items, nextCursor: result.value.nextCursor } : { keys: [], error: result.error }),
    }));
  });

  return router;
}
