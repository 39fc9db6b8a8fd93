// Administrators only (members get 404):
//   GET  /partners                 every partner
//   POST /partners                 add one (registry.createPartner, audited)
//   POST /partners/:slug/disable|enable
//   GET  /partners/:slug/bounds    the partner's IP-allowlist bounds
//   POST /partners/:slug/bounds    set them (registry.updatePartner, audited)
import Router from '@koa/router';
import type { Next } from 'koa';
import type { Registry } from '@passerelle/registry';
import { boundsPage, partnersPage } from '../pages/partners.ts';
import type { PortalContext, PortalState } from '../state.ts';
import { actorOf } from '../state.ts';
import { confirmPage } from '../pages/confirm.ts';
import { attempt, confirmed, field, render } from './forms.ts';

type Step = (ctx: PortalContext, next: Next) => Promise<void>;

export interface PartnersRoutesOptions {
  registry: Registry;
  requireCsrf: Step;
  /** Signed in and an administrator. */
  guard: Step[];
}

export function partnersRoutes({ registry, requireCsrf, guard }: PartnersRoutesOptions) {
  const router = new Router<PortalState>();

  router.get('/partners', ...guard, async (ctx: PortalContext) => {
    const page = await registry.listPartners({ limit: 200 });
    render(ctx, partnersPage(ctx.state.viewer!, page.items));
  });

  router.post('/partners', ...guard, requireCsrf, async (ctx: PortalContext) => {
    const form = { slug: field(ctx, 'slug').trim(), name: field(ctx, 'name') };
    const result = await attempt(ctx, () => registry.createPartner(actorOf(ctx), form));
    const page = await registry.listPartners({ limit: 200 });
    if (!result.ok) return render(ctx, partnersPage(ctx.state.viewer!, page.items, { error: result.error, form }));
    ctx.status = 201;
    render(ctx, partnersPage(ctx.state.viewer!, page.items, { notice: `Partner ${result.value.name} added.` }));
  });

  for (const action of ['disable', 'enable'] as const) {
    router.post(`/partners/:slug/${action}`, ...guard, requireCsrf, async (ctx: PortalContext) => {
      const target = await registry.getPartner(ctx.params['slug']!);
      if (action === 'disable' && !confirmed(ctx, ({ action: path }) => confirmPage({
        viewer: ctx.state.viewer!, title: `Disable ${target.name}?`, action: path, button: 'Yes, disable the partner',
        message: 'Every client of this partner stops at once, and every token they hold stops working. Enabling the partner again restores the clients, not their tokens.',
        cancel: '/partners',
      }))) return;
      const partner = await registry.setPartnerStatus(actorOf(ctx), ctx.params['slug']!, action === 'disable' ? 'disabled' : 'active');
      const page = await registry.listPartners({ limit: 200 });
      render(ctx, partnersPage(ctx.state.viewer!, page.items, {
        notice: action === 'disable' ? `${partner.name} disabled: its clients stopped and their tokens no longer work.` : `${partner.name} enabled.`,
      }));
    });
  }

  router.get('/partners/:slug/bounds', ...guard, async (ctx: PortalContext) => {
    render(ctx, boundsPage(ctx.state.viewer!, await registry.getPartner(ctx.params['slug']!)));
  });

  router.post('/partners/:slug/bounds', ...guard, requireCsrf, async (ctx: PortalContext) => {
    const slug = ctx.params['slug']!;
    const text = field(ctx, 'bounds');
    const result = await attempt(ctx, () => registry.updatePartner(actorOf(ctx), slug, { ipAllowlistBounds: text.split(/[\s,]+/).filter(Boolean) }));
    if (!result.ok) return render(ctx, boundsPage(ctx.state.viewer!, await registry.getPartner(slug), { error: result.error, text }));
    render(ctx, boundsPage(ctx.state.viewer!, result.value, { notice: 'Bounds saved.' }));
  });

  return router;
}
