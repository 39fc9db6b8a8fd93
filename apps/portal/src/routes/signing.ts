// The Signing section:
//   GET  /partners/:slug/signing             the partner's clients and how to sign
//   POST /partners/:slug/signing/:clientId   shows that client's key (audited read) and a worked example
// A POST rather than a GET: reading a key is an audited act, never a side effect of a page load or a prefetch.
import Router from '@koa/router';
import { canonicalRequest, signRequest } from '@passerelle/signatures';
import type { Registry, SigningKeyRegistry } from '@passerelle/registry';
import { signingPage, type WorkedExample } from '../pages/signing.ts';
import { actorOf, scopeOf, type PortalContext, type PortalState } from '../state.ts';
import { render } from './forms.ts';

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

  async function clientsOf(slug: string) {
    return (await registry.listClients({ partner: slug, limit: 200 })).items;
  }

  router.get('/signing', async (ctx: PortalContext) => {
    const { viewer, partner } = scopeOf(ctx);
    render(ctx, signingPage({ viewer, partner, clients: await clientsOf(partner.slug), apiUrl }));
  });

  router.post('/signing/:clientId', async (ctx: PortalContext) => {
    const { viewer, partner } = scopeOf(ctx);
    const client = await registry.getPartnerClient(partner.slug, ctx.params['clientId']!);
    const key = await signingKeys.signingKey(actorOf(ctx), client.clientId);
    const example = workedExample(key.keyId, key.signingKey, Math.floor(Date.now() / 1000));
    render(ctx, signingPage({ viewer, partner, clients: await clientsOf(partner.slug), apiUrl, revealed: { key, example } }));
  });

  return router;
}
