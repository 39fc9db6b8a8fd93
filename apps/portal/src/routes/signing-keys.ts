// Administrators only (members get 404): the auth service's token-signing keys,
// the portal's face of the admin API's /signing-keys and of `pnpm admin keys`,
// with the same schedule (@passerelle/keys), validation and audit.
//   GET  /signing-keys              every key, newest first, never a private part
//   POST /signing-keys/rotate       stage a new key; it signs after the activation delay
//   POST /signing-keys/retire       `kid`: cancel a staged key or withdraw a superseded one
//                                   (confirmed; `force` even while its tokens may be valid)
// Nothing here swaps a key: each auth instance applies the schedule on its refresh tick.
import Router from '@koa/router';
import type { Next } from 'koa';
import type { PrismaClient } from '@passerelle/db';
import { listSigningKeys, retireSigningKey, stageSigningKey } from '@passerelle/keys';
import { retireSigningKeyInput, rotateSigningKeyInput, validate } from '@passerelle/registry';
import { confirmPage } from '../pages/confirm.ts';
import type { FormError } from '../pages/parts.ts';
import { signingKeysPage } from '../pages/signing-keys.ts';
import { actorOf, type PortalContext, type PortalState } from '../state.ts';
import { attempt, confirmed, field, render } from './forms.ts';

type Step = (ctx: PortalContext, next: Next) => Promise<void>;

export interface SigningKeysRoutesOptions {
  prisma: PrismaClient;
  /** SIGNING_KEY_ENCRYPTION_KEY: seals the staged key's private half. */
  kek: Buffer;
  /** KEY_ACTIVATION_DELAY, seconds: when the form leaves the delay empty. */
  activationDelaySeconds: number;
  requireCsrf: Step;
  /** Signed in and an administrator. */
  guard: Step[];
  now?: () => number;
}

/** A whole number of seconds as typed, or the text itself so the schema refuses it with its own words. */
const secondsOf = (text: string) => (/^\d{1,9}$/.test(text) ? Number(text) : text);

export function signingKeysRoutes({ prisma, kek, activationDelaySeconds, requireCsrf, guard, now = Date.now }: SigningKeysRoutesOptions) {
  const router = new Router<PortalState>();

  async function list(ctx: PortalContext, extra: { error?: FormError; notice?: string; delayText?: string } = {}) {
    render(ctx, signingKeysPage({ viewer: ctx.state.viewer!, keys: await listSigningKeys(prisma), activationDelaySeconds, ...extra }));
  }

  router.get('/signing-keys', ...guard, (ctx: PortalContext) => list(ctx));

  router.post('/signing-keys/rotate', ...guard, requireCsrf, async (ctx: PortalContext) => {
    const delayText = field(ctx, 'activateInSeconds').trim();
    const result = await attempt(ctx, async () => {
      const { activateInSeconds = activationDelaySeconds } = validate(rotateSigningKeyInput, delayText === '' ? {} : { activateInSeconds: secondsOf(delayText) });
      return stageSigningKey(prisma, kek, actorOf(ctx), new Date(now() + activateInSeconds * 1000));
    });
    if (!result.ok) return list(ctx, { error: result.error, delayText });
    ctx.status = 201;
    await list(ctx, { notice: `Key ${result.value.kid} staged: it is published now and signs from ${result.value.activatesAt?.toISOString().replace('T', ' ').slice(0, 19)} UTC.` });
  });

  router.post('/signing-keys/retire', ...guard, requireCsrf, async (ctx: PortalContext) => {
    const kid = field(ctx, 'kid');
    const force = field(ctx, 'force') === 'on';
    if (!confirmed(ctx, ({ action }) => confirmPage({
      viewer: ctx.state.viewer!, title: `Retire key ${kid}?`, action, button: 'Yes, retire the key', hidden: { kid, ...(force ? { force: 'on' } : {}) },
      message: force
        ? 'The key leaves the JWKS at once: every token it signed is refused from then on, even unexpired ones. Do this for a compromised key.'
        : 'The key leaves the JWKS: a staged key never signs, and a superseded one is withdrawn. This cannot be undone.',
      cancel: '/signing-keys',
    }))) return;
    const result = await attempt(ctx, () => retireSigningKey(prisma, actorOf(ctx), kid, { ...validate(retireSigningKeyInput, { force }), now: new Date(now()) }));
    if (!result.ok) return list(ctx, { error: result.error });
    await list(ctx, { notice: `Key ${kid} retired.` });
  });

  return router;
}
