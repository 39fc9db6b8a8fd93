// GET /v1/me: the signed-in user's own profile (scope `profile`). Only a user
// token names a user, and it reaches only that user: there is no id to change.
import Router from '@koa/router';
import type { PrismaClient } from '@passerelle/db';
import { Problem } from '@passerelle/errors';
import { requireScope, type GuardState } from '@passerelle/guard';

export function meRoutes(prisma: PrismaClient) {
  const router = new Router<GuardState>();
  router.get('/v1/me', requireScope('profile'), async (ctx) => {
    const { userId } = ctx.state.principal;
    if (!userId) throw new Problem('forbidden', { detail: 'This resource needs a token issued to a signed-in user.' });
    const user = await prisma.user.findUnique({ where: { id: userId } });
    if (user?.status !== 'active') throw new Problem('not_found');
    ctx.body = { id: user.id, email: user.email, name: user.name, partner_id: user.partnerId, created_at: user.createdAt };
  });
  return router;
}
