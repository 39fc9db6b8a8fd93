// Administrators only (members get 404): the portal's face of the admin API's
// /admin/v1/users, through the same accounts functions, validation and audit.
//   GET  /users[?partner=…&cursor=…]   every user, or one partner's
//   POST /users                        create one (role, partner; the password the admin chose)
//   GET  /users/:user                  one user
//   POST /users/:user/disable|enable   disable (confirmed) ends their sessions, grants and tokens
//   POST /users/:user/reset-password   a new password; ends their sessions, grants and tokens
// A password travels in a request body only: no page shows it back.
import Router from '@koa/router';
import type { Next } from 'koa';
import type { Accounts, CreateUserInput } from '@passerelle/accounts';
import { FIRST_PARTY_SLUG, type Registry } from '@passerelle/registry';
import { confirmPage } from '../pages/confirm.ts';
import type { FormError } from '../pages/parts.ts';
import { userPage, usersPage, type NewUserForm } from '../pages/users.ts';
import { actorOf, type PortalContext, type PortalState } from '../state.ts';
import { attempt, confirmed, field, render } from './forms.ts';

type Step = (ctx: PortalContext, next: Next) => Promise<void>;

export interface UsersRoutesOptions {
  accounts: Accounts;
  registry: Registry;
  requireCsrf: Step;
  /** Signed in and an administrator. */
  guard: Step[];
}

export function usersRoutes({ accounts, registry, requireCsrf, guard }: UsersRoutesOptions) {
  const router = new Router<PortalState>();
  const partners = async () => (await registry.listPartners({ limit: 200 })).items.filter((p) => p.slug !== FIRST_PARTY_SLUG);
  const userPath = (ctx: PortalContext) => `/users/${encodeURIComponent(ctx.params['user']!)}`;

  async function list(ctx: PortalContext, extra: { error?: FormError; notice?: string; form?: NewUserForm } = {}) {
    const partner = typeof ctx.query['partner'] === 'string' && ctx.query['partner'] ? ctx.query['partner'] : undefined;
    const cursor = typeof ctx.query['cursor'] === 'string' ? ctx.query['cursor'] : undefined;
    const page = await accounts.listUsers({ limit: 100, ...(partner ? { partner } : {}), ...(cursor ? { cursor } : {}) });
    render(ctx, usersPage({ viewer: ctx.state.viewer!, users: page.items, nextCursor: page.nextCursor, partners: await partners(), partnerFilter: partner, ...extra }));
  }

  async function show(ctx: PortalContext, extra: { error?: FormError; notice?: string } = {}) {
    const user = await accounts.findUser(ctx.params['user']!);
    const partner = user.partnerId ? (await partners()).find((p) => p.id === user.partnerId) : undefined;
    render(ctx, userPage({ viewer: ctx.state.viewer!, user, partner, ...extra }));
  }

  router.get('/users', ...guard, (ctx: PortalContext) => list(ctx));

  router.post('/users', ...guard, requireCsrf, async (ctx: PortalContext) => {
    const form: NewUserForm = { email: field(ctx, 'email'), name: field(ctx, 'name'), partner: field(ctx, 'partner'), role: field(ctx, 'role') };
    const input = {
      email: form.email, name: form.name, password: field(ctx, 'password'),
      role: form.role as CreateUserInput['role'], ...(form.partner ? { partner: form.partner } : {}),
    };
    const result = await attempt(ctx, () => accounts.createUser(actorOf(ctx), input));
    if (!result.ok) return list(ctx, { error: result.error, form });
    ctx.status = 201;
    await list(ctx, { notice: `User ${result.value.email} created. Give them their password by a channel of your own; it is not shown again.` });
  });

  router.get('/users/:user', ...guard, (ctx: PortalContext) => show(ctx));

  router.post('/users/:user/disable', ...guard, requireCsrf, async (ctx: PortalContext) => {
    const user = await accounts.findUser(ctx.params['user']!);
    if (!confirmed(ctx, ({ action }) => confirmPage({
      viewer: ctx.state.viewer!, title: `Disable ${user.email}?`, action, button: 'Yes, disable the user',
      message: 'They can no longer sign in, and every session, grant and token they hold ends now. Enabling them again lets them sign in; what ended does not come back.',
      cancel: userPath(ctx),
    }))) return;
    await accounts.setUserStatus(actorOf(ctx), user.id, 'disabled');
    await show(ctx, { notice: 'User disabled: their sessions and tokens have ended.' });
  });

  router.post('/users/:user/enable', ...guard, requireCsrf, async (ctx: PortalContext) => {
    const user = await accounts.findUser(ctx.params['user']!);
    await accounts.setUserStatus(actorOf(ctx), user.id, 'active');
    await show(ctx, { notice: 'User enabled.' });
  });

  router.post('/users/:user/reset-password', ...guard, requireCsrf, async (ctx: PortalContext) => {
    const user = await accounts.findUser(ctx.params['user']!);
    const result = await attempt(ctx, () => accounts.resetPassword(actorOf(ctx), user.id, { password: field(ctx, 'password') }));
    if (!result.ok) return show(ctx, { error: result.error });
    await show(ctx, { notice: 'Password reset: their sessions and tokens have ended. Give them the new password by a channel of your own.' });
  });

  return router;
}
