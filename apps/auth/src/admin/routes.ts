// The admin API's routes: each one validates nothing itself and decides nothing
// itself; it hands the body or query to the registry, which validates, stores
// and audits exactly as it does for the CLI. The OpenAPI document
// (apps/auth/openapi/admin.yaml) is tested to list every route here.
import { Readable } from 'node:stream';
import Router, { type RouterContext } from '@koa/router';
import { Problem } from '@passerelle/errors';
import type { Registry } from '@passerelle/registry';
import type { AdminState } from './authenticate.ts';

export const ADMIN_PREFIX = '/admin/v1';

type Ctx = RouterContext<AdminState> & { request: { body?: unknown } };

const body = (ctx: Ctx) => ctx.request.body ?? {};
const query = (ctx: Ctx) => ({ ...ctx.query });

export function adminRoutes(registry: Registry) {
  const router = new Router<AdminState>({ prefix: ADMIN_PREFIX });

  router.get('/partners', async (ctx: Ctx) => { ctx.body = await registry.listPartners(query(ctx)); });
  router.post('/partners', async (ctx: Ctx) => {
    ctx.body = await registry.createPartner(ctx.state.actor, body(ctx) as never);
    ctx.status = 201;
  });
  router.get('/partners/:slug', async (ctx: Ctx) => { ctx.body = await registry.getPartner(ctx.params['slug']!); });
  router.patch('/partners/:slug', async (ctx: Ctx) => { ctx.body = await registry.updatePartner(ctx.state.actor, ctx.params['slug']!, body(ctx) as never); });
  router.post('/partners/:slug/disable', async (ctx: Ctx) => { ctx.body = await registry.setPartnerStatus(ctx.state.actor, ctx.params['slug']!, 'disabled'); });
  router.post('/partners/:slug/enable', async (ctx: Ctx) => { ctx.body = await registry.setPartnerStatus(ctx.state.actor, ctx.params['slug']!, 'active'); });

  router.get('/clients', async (ctx: Ctx) => { ctx.body = await registry.listClients(query(ctx)); });
  router.post('/clients', async (ctx: Ctx) => {
    const { client, consumerSecret } = await registry.createClient(ctx.state.actor, body(ctx) as never);
    ctx.body = { client, consumerKey: client.clientId, consumerSecret };
    ctx.status = 201;
  });
  router.get('/clients/:clientId', async (ctx: Ctx) => { ctx.body = await registry.getClient(ctx.params['clientId']!); });
  router.patch('/clients/:clientId', async (ctx: Ctx) => { ctx.body = await registry.updateClient(ctx.state.actor, ctx.params['clientId']!, body(ctx) as never); });
  router.delete('/clients/:clientId', async (ctx: Ctx) => {
    await registry.deleteClient(ctx.state.actor, ctx.params['clientId']!);
    ctx.status = 204;
  });
  router.post('/clients/:clientId/disable', async (ctx: Ctx) => { ctx.body = await registry.setClientStatus(ctx.state.actor, ctx.params['clientId']!, 'disabled'); });
  router.post('/clients/:clientId/enable', async (ctx: Ctx) => { ctx.body = await registry.setClientStatus(ctx.state.actor, ctx.params['clientId']!, 'active'); });
  router.post('/clients/:clientId/rotate-secret', async (ctx: Ctx) => {
    ctx.body = await registry.rotateSecret(ctx.state.actor, ctx.params['clientId']!, body(ctx) as never);
  });
  router.post('/clients/:clientId/end-secret-grace', async (ctx: Ctx) => {
    ctx.body = await registry.endSecretGrace(ctx.state.actor, ctx.params['clientId']!);
  });

  router.get('/api-keys', async (ctx: Ctx) => { ctx.body = await registry.listApiKeys(query(ctx)); });
  router.post('/api-keys', async (ctx: Ctx) => {
    ctx.body = await registry.createApiKey(ctx.state.actor, body(ctx) as never);
    ctx.status = 201;
  });
  router.get('/api-keys/:keyId', async (ctx: Ctx) => { ctx.body = await registry.getApiKey(ctx.params['keyId']!); });
  router.post('/api-keys/:keyId/revoke', async (ctx: Ctx) => { ctx.body = await registry.revokeApiKey(ctx.state.actor, ctx.params['keyId']!); });

  router.get('/audit-events', async (ctx: Ctx) => { ctx.body = await registry.listAuditEvents(query(ctx)); });
  router.get('/audit-events/export', async (ctx: Ctx) => {
    // Resolves only once the filter is valid: a bad one is refused before the first byte.
    const events = await registry.exportAuditEvents(query(ctx));
    ctx.type = 'application/x-ndjson';
    ctx.set('Content-Disposition', 'attachment; filename="audit-events.ndjson"');
    ctx.body = Readable.from((async function* lines() {
      for await (const event of events) yield `${JSON.stringify(event)}\n`;
    })());
  });

  return router;
}

export function methodNotAllowed() {
  return new Problem('method_not_allowed');
}
