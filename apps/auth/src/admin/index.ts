// The admin HTTP API, mounted on the authorization server beside oidc-provider
// under /admin/v1. The pipeline, in order: problem+json renderer → no-store →
// admin token (authenticate.ts) → JSON body → routes. Anything outside the
// prefix goes on to the provider untouched.
import bodyParser from '@koa/bodyparser';
import type { Context, Next } from 'koa';
import compose from 'koa-compose';
import { Problem, renderErrors } from '@passerelle/errors';
import type { Logger } from '@passerelle/log';
import type { Accounts } from '@passerelle/accounts';
import type { Registry } from '@passerelle/registry';
import { type AdminAuthOptions, type AdminState, authenticateAdmin } from './authenticate.ts';
import { ADMIN_PREFIX, adminRoutes, methodNotAllowed } from './routes.ts';
import { type SigningKeyAdminOptions, signingKeyRoutes } from './signing-keys.ts';
import { userRoutes } from './users.ts';

export interface AdminApiOptions extends Omit<AdminAuthOptions, 'registry'> {
  registry: Registry;
  /** Token-signing-key rotation (`/signing-keys`). */
  signingKeys: SigningKeyAdminOptions;
  /** End users (`/users`). */
  accounts: Accounts;
  log: Logger;
}

/** A body must be JSON: anything else is refused before it is read. */
async function requireJson(ctx: Context, next: Next): Promise<void> {
  if (ctx.request.length && !ctx.is('application/json')) throw new Problem('unsupported_media_type');
  await next();
}

export function adminApi(options: AdminApiOptions) {
  const router = adminRoutes(options.registry);
  const keyRouter = signingKeyRoutes(options.signingKeys);
  const usersRouter = userRoutes(options.accounts);
  const pipeline = compose<Context & { state: AdminState }>([
    renderErrors({
      realm: 'passerelle-admin',
      onError: (err, ctx, problem) => {
        if (problem.status >= 500) options.log.error({ err, requestId: (ctx.state as AdminState).requestId }, 'admin API error');
      },
    }) as never,
    async (ctx, next) => {
      ctx.set('Cache-Control', 'no-store');
      await next();
    },
    authenticateAdmin({ ...options, registry: options.registry }) as never,
    requireJson,
    bodyParser({ enableTypes: ['json'], jsonLimit: '100kb', encoding: 'utf-8' }) as never,
    router.routes() as never,
    keyRouter.routes() as never,
    usersRouter.routes() as never,
    // Routes matched by any router are collected on ctx.matched, so one 405 check covers them all.
    router.allowedMethods({ throw: true, methodNotAllowed, notImplemented: methodNotAllowed }) as never,
  ]);
  return async function adminApiMiddleware(ctx: Context, next: Next): Promise<void> {
    if (ctx.path !== ADMIN_PREFIX && !ctx.path.startsWith(`${ADMIN_PREFIX}/`)) return next();
    await pipeline(ctx as Context & { state: AdminState });
  };
}

export { adminRoutes, ADMIN_PREFIX } from './routes.ts';
export { signingKeyRoutes, type SigningKeyAdminOptions } from './signing-keys.ts';
export { userRoutes } from './users.ts';
