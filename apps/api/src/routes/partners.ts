// GET /v1/partners/me: the calling client's own partner (scope partner:read).
import Router from '@koa/router';
import type { PrismaClient } from '@passerelle/db';
import { Problem } from '@passerelle/errors';
import { requireScope, type GuardState } from '@passerelle/guard';

export function partnerRoutes(prisma: PrismaClient) {
  const router = new Router<GuardState>();
  router.get('/v1/partners/me', requireScope('partner:read'), async (ctx) => {
    const { partnerId } = ctx.state.principal;
    const partner = partnerId ? await prisma.partner.findUnique({ where: { id: partnerId } }) : null;
    if (!partner) throw new Problem('not_found');
    ctx.body = { id: partner.id, slug: partner.slug, name: partner.name, status: partner.status, created_at: partner.createdAt };
  });
  return router;
}
