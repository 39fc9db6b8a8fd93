// Administrators only (members get 404):
//   GET  /partners                 every partner
//   POST /partners                 add one (registry.createPartner, audited)
//   POST /partners/:slug/disable|enable
//   GET  /partners/:slug/settings  the partner's name and IP-allowlist bounds
//   POST /partners/:slug/name      rename it (registry.updatePartner, audited)
//   POST /partners/:slug/bounds    set its bounds (registry.updatePartner, audited)
import Router from '@koa/router';
import type { Next } from 'koa';
import { FIRST_PARTY_SLUG, type Registry } from '@passerelle/registry';
import { partnerSettingsPage, partnersPage } from '../pages/partners.ts';
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
  /** Every partner but the reserved one of Passerelle's own apps (see access.ts). */
  const listed = async () => (await registry.listPartners({ limit: 200 })).items.filter((p) => p.slug !== FIRST_PARTY_SLUG);

  router.get('/partners', ...guard, async (ctx: PortalContext) => {
    const partners = await listed();
    render(ctx, partnersPage(ctx.state.viewer!, partners));
  });

  router.post('/partners', ...guard, requireCsrf, async (ctx: PortalContext) => {
    const form = { slug: field(ctx, 'slug').trim(), name: field(ctx, 'name') };
    const result = await attempt(ctx, () => registry.createPartner(actorOf(ctx), form));
    const partners = await listed();
    if (!result.ok) return render(ctx, partnersPage(ctx.state.viewer!, partners, { error: result.error, form }));
    ctx.status = 201;
    render(ctx, partnersPage(ctx.state.viewer!, partners, { notice: `Partner ${result.value.name} added.` }));
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
      const partners = await listed();
      render(ctx, partnersPage(ctx.state.viewer!, partners, {
        notice: action === 'disable' ? `${partner.name} disabled: its clients stopped and their tokens no longer work.` : `${partner.name} enabled.`,
      }));
    });
  }

  router.get('/partners/:slug/settings', ...guard, async (ctx: PortalContext) => {
    render(ctx, partnerSettingsPage(ctx.state.viewer!, await registry.getPartner(ctx.params['slug']!)));
  });
  router.get('/partners/:slug/bounds', ...guard, (ctx: PortalContext) => ctx.redirect(`/partners/${encodeURIComponent(ctx.params['slug']!)}/settings`));

  router.post('/partners/:slug/name', ...guard, requireCsrf, async (ctx: PortalContext) => {
    const slug = ctx.params['slug']!;
    const name = field(ctx, 'name');
    const result = await attempt(ctx, () => registry.updatePartner(actorOf(ctx), slug, { name }));
    if (!result.ok) return render(ctx, partnerSettingsPage(ctx.state.viewer!, await registry.getPartner(slug), { error: result.error, name }));
    render(ctx, partnerSettingsPage(ctx.state.viewer!, result.value, { notice: `Partner renamed to ${result.value.name}.` }));
  });

  router.post('/partners/:slug/bounds', ...guard, requireCsrf, async (ctx: PortalContext) => {
    const slug = ctx.params['slug']!;
    const text = field(ctx, 'bounds');
    const result = await attempt(ctx, () => registry.updatePartner(actorOf(ctx), slug, { ipAllowlistBounds: text.split(/[\s,]+/).filter(Boolean) }));
    if (!result.ok) return render(ctx, partnerSettingsPage(ctx.state.viewer!, await registry.getPartner(slug), { error: result.error, text }));
    render(ctx, partnerSettingsPage(ctx.state.viewer!, result.value, { notice: 'Bounds saved.' }));
  });

  return router;
}
