// The admin API's face of token-signing-key rotation, the twin of the CLI's
// `keys list|rotate|retire`: same schedule (@passerelle/keys), same validation
// (@passerelle/registry), same audit. Nothing here swaps a key: each auth
// instance carries the schedule out on its own refresh tick (KEY_REFRESH_INTERVAL),
// so a rotation asked of one instance reaches all of them.
import Router, { type RouterContext } from '@koa/router';
import type { PrismaClient } from '@passerelle/db';
import { listSigningKeys, retireSigningKey, signingKeyView, stageSigningKey } from '@passerelle/keys';
import { retireSigningKeyInput, rotateSigningKeyInput, validate } from '@passerelle/registry';
import type { AdminState } from './authenticate.ts';
import { ADMIN_PREFIX } from './routes.ts';

export interface SigningKeyAdminOptions {
  prisma: PrismaClient;
  /** SIGNING_KEY_ENCRYPTION_KEY: seals the staged key's private half. */
  kek: Buffer;
  /** KEY_ACTIVATION_DELAY, seconds: when a rotation does not say. */
  activationDelaySeconds: number;
  now?: () => number;
}

type Ctx = RouterContext<AdminState> & { request: { body?: unknown } };

export function signingKeyRoutes({ prisma, kek, activationDelaySeconds, now = Date.now }: SigningKeyAdminOptions) {
  const router = new Router<AdminState>({ prefix: ADMIN_PREFIX });

  router.get('/signing-keys', async (ctx: Ctx) => { ctx.body = { items: await listSigningKeys(prisma) }; });
  router.post('/signing-keys/rotate', async (ctx: Ctx) => {
    const { activateInSeconds = activationDelaySeconds } = validate(rotateSigningKeyInput, ctx.request.body ?? {});
    const key = await stageSigningKey(prisma, kek, ctx.state.actor, new Date(now() + activateInSeconds * 1000));
    ctx.body = signingKeyView(key);
    ctx.status = 201;
  });
  router.post('/signing-keys/:kid/retire', async (ctx: Ctx) => {
    const { force = false } = validate(retireSigningKeyInput, ctx.request.body ?? {});
    ctx.body = signingKeyView(await retireSigningKey(prisma, ctx.state.actor, ctx.params['kid']!, { force, now: new Date(now()) }));
  });

  return router;
}
