// The Signing section:
//   GET  /partners/:slug/signing             the partner's clients and how to sign
//   POST /partners/:slug/signing/:clientId          shows that client's key (audited read) and a worked example
//   POST /partners/:slug/signing/:clientId/rotate   a new key (after confirmation); the old one stops verifying
// A POST rather than a GET: reading a key is an audited act, never a side effect of a page load or a prefetch.
import Router from '@koa/router';
import { canonicalRequest, signRequest } from '@passerelle/signatures';
import type { Registry, SigningKeyRegistry } from '@passerelle/registry';
import { signingPage, type WorkedExample } from '../pages/signing.ts';
import { actorOf, scopeOf, type PortalContext, type PortalState } from '../state.ts';
import { confirmPage } from '../pages/confirm.ts';
import { confirmed, render } from './forms.ts';

export interface SigningRoutesOptions {
  registry: Registry;
  signingKeys: SigningKeyRegistry;
  apiUrl: string;
}

function workedExample(keyId: string, signingKey: string, timestamp: number): WorkedExample {
  const request = { method: 'POST', target: '/v1/orders', body: '{"reference":"A-1","currency":"EUR","items":[{"sku":"SKU-1","name":"Widget","quantity":1,"unit_price_minor":1250}]}' };
  return {
    ...request, timestamp,
    canonical: canonicalRequest(request, keyId, timestamp),
    header: signRequest(request, { keyId, signingKey }, timestamp),
  };
}

export function signingRoutes({ registry, signingKeys, apiUrl }: SigningRoutesOptions) {
  const router = new Router<PortalState>();

  const clientsOf = (ctx: PortalContext) => registry.listPartnerClients(scopeOf(ctx).partner.slug, scopeOf(ctx).bounded);

  router.get('/signing', async (ctx: PortalContext) => {
    const { viewer, partner } = scopeOf(ctx);
    render(ctx, signingPage({ viewer, partner, clients: await clientsOf(ctx), apiUrl }));
  });

  router.post('/signing/:clientId', async (ctx: PortalContext) => {
    const { viewer, partner, bounded } = scopeOf(ctx);
    const client = await registry.getPartnerClient(partner.slug, ctx.params['clientId']!, bounded);
    const key = await signingKeys.signingKey(actorOf(ctx), client.clientId);
    const example = workedExample(key.keyId, key.signingKey, Math.floor(Date.now() / 1000));
    render(ctx, signingPage({ viewer, partner, clients: await clientsOf(ctx), apiUrl, revealed: { key, example } }));
  });

  router.post('/signing/:clientId/rotate', async (ctx: PortalContext) => {
    const { viewer, partner, bounded } = scopeOf(ctx);
    const client = await registry.getPartnerClient(partner.slug, ctx.params['clientId']!, bounded);
    if (!confirmed(ctx, ({ action }) => confirmPage({
      viewer, partner, section: 'signing', title: `Rotate the signing key of ${client.name}?`, action, button: 'Yes, rotate the key',
      message: 'A new key replaces the current one: requests signed with the old key are refused within a few seconds. Rotate when the key may have leaked, then deploy the new one.',
      cancel: `/partners/${encodeURIComponent(partner.slug)}/signing`,
    }))) return;
    const key = await signingKeys.rotateSigningKey(actorOf(ctx), client.clientId);
    const example = workedExample(key.keyId, key.signingKey, Math.floor(Date.now() / 1000));
    render(ctx, signingPage({ viewer, partner, clients: await clientsOf(ctx), apiUrl, revealed: { key, example } }));
  });

  return router;
}
