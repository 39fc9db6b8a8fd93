// The admin API's face of end-user management, the twin of `pnpm admin users`:
// create, list, show, disable, enable, reset a password. The accounts domain
// validates, audits (the admin client as actor) and, on disable and reset,
// ends every session, grant and token of the user. `{user}` is the user's id
// or email. A password travels only in a request body, never in a response.
import Router, { type RouterContext } from '@koa/router';
import type { Accounts, UserListInput } from '@passerelle/accounts';
import type { AdminState } from './authenticate.ts';
import { ADMIN_PREFIX } from './routes.ts';

type Ctx = RouterContext<AdminState> & { request: { body?: unknown } };

const body = (ctx: Ctx) => (ctx.request.body ?? {}) as Record<string, unknown>;

export function userRoutes(accounts: Accounts) {
  const router = new Router<AdminState>({ prefix: ADMIN_PREFIX });

  router.get('/users', async (ctx: Ctx) => { ctx.body = await accounts.listUsers({ ...ctx.query } as UserListInput); });
  router.post('/users', async (ctx: Ctx) => {
    ctx.body = await accounts.createUser(ctx.state.actor, body(ctx) as never);
    ctx.status = 201;
  });
  router.get('/users/:user', async (ctx: Ctx) => { ctx.body = await accounts.findUser(ctx.params['user']!); });
  router.post('/users/:user/disable', async (ctx: Ctx) => { ctx.body = await accounts.setUserStatus(ctx.state.actor, ctx.params['user']!, 'disabled'); });
  router.post('/users/:user/enable', async (ctx: Ctx) => { ctx.body = await accounts.setUserStatus(ctx.state.actor, ctx.params['user']!, 'active'); });
  router.post('/users/:user/reset-password', async (ctx: Ctx) => {
    ctx.body = await accounts.resetPassword(ctx.state.actor, ctx.params['user']!, body(ctx) as never);
  });

  return router;
}
