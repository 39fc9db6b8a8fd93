// /v1/orders: a partner's orders (scopes orders:read / orders:write). The
// owner is the calling client's partner as the database knows it (the guard's
// client policy), never a value from the request. Every input is validated by
// a strict schema: body (parseJson), query (validate), path id (uuid, else
// 404) and the Idempotency-Key header.
import Router from '@koa/router';
import { Problem } from '@passerelle/errors';
import { requireScope, type GuardContext, type GuardState } from '@passerelle/guard';
import { idempotencyKey, newOrder, orderListQuery, orderReplacement, type OrderResult, type Orders, type Owner } from '@passerelle/orders';
import { parseJson, validate } from '@passerelle/request-body';
import { z } from 'zod';
import { actorOf } from '../audit-actor.ts';

const orderId = z.uuid();
const idempotencyHeader = z.strictObject({ 'Idempotency-Key': idempotencyKey.optional() });

function ownerOf(ctx: GuardContext): Owner {
  return { partnerId: ctx.state.client.partnerId, clientId: ctx.state.client.clientId };
}

/** A malformed id names no order: 404, exactly as a missing one. */
function idOf(ctx: GuardContext & { params: Record<string, string> }): string {
  const id = ctx.params['id'];
  if (!orderId.safeParse(id).success) throw new Problem('not_found');
  return id!;
}

function header(ctx: GuardContext, name: string): string | undefined {
  const value = ctx.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

function respond(ctx: GuardContext, { order, etag }: OrderResult): void {
  ctx.set('ETag', etag);
  ctx.body = order;
}

export function orderRoutes(orders: Orders) {
  const router = new Router<GuardState>();

  router.get('/v1/orders', requireScope('orders:read'), async (ctx) => {
    const page = await orders.list(ownerOf(ctx), validate(orderListQuery, { ...ctx.query }));
    ctx.body = { data: page.data, next_cursor: page.nextCursor };
  });

  router.post('/v1/orders', requireScope('orders:write'), async (ctx) => {
    const input = parseJson(ctx, newOrder);
    const { 'Idempotency-Key': key } = validate(idempotencyHeader, { 'Idempotency-Key': header(ctx, 'idempotency-key') });
    const created = await orders.create(actorOf(ctx), ownerOf(ctx), input, key);
    ctx.status = 201;
    ctx.set('Location', `/v1/orders/${created.order.id}`);
    if (created.replayed) ctx.set('Idempotent-Replayed', 'true');
    respond(ctx, created);
  });

  router.get('/v1/orders/:id', requireScope('orders:read'), async (ctx) => {
    respond(ctx, await orders.get(ownerOf(ctx), idOf(ctx)));
  });

  router.put('/v1/orders/:id', requireScope('orders:write'), async (ctx) => {
    const id = idOf(ctx);
    const input = parseJson(ctx, orderReplacement);
    respond(ctx, await orders.replace(actorOf(ctx), ownerOf(ctx), id, input, header(ctx, 'if-match')));
  });

  router.delete('/v1/orders/:id', requireScope('orders:write'), async (ctx) => {
    await orders.remove(actorOf(ctx), ownerOf(ctx), idOf(ctx), header(ctx, 'if-match'));
    ctx.status = 204;
  });

  return router;
}
