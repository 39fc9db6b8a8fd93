// The orders resource end to end: CRUD, partner isolation (OWASP API1),
// optimistic concurrency, idempotent creation and the audit trail, against the
// real services and database.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  callApi, callApiSigned, getToken, orderCaller, registerClient, sampleOrder, signatureFor, startStack, type OrderCaller, type Stack,
} from '../src/index.ts';

interface OrderBody { id: string; reference: string; status: string; total_minor: number; notes: string | null; items: unknown[] }
interface ProblemBody { type: string; title: string; status: number; code: string; request_id: string }

let stack: Stack;
let alice: OrderCaller;
let bob: OrderCaller;

before(async () => {
  stack = await startStack();
  [alice, bob] = await Promise.all([orderCaller(stack), orderCaller(stack)]);
});
after(() => stack.close());

async function create(caller: OrderCaller, body: Record<string, unknown> = sampleOrder(), headers: Record<string, string> = {}) {
  const res = await caller.call('POST', '/v1/orders', { body, headers });
  assert.equal(res.status, 201, await res.clone().text());
  return { res, order: (await res.json()) as OrderBody, etag: res.headers.get('etag')! };
}

async function problem(res: Response, status: number, code: string): Promise<ProblemBody> {
  assert.equal(res.status, status);
  assert.equal(res.headers.get('content-type'), 'application/problem+json');
  const body = (await res.json()) as ProblemBody;
  assert.equal(body.code, code);
  return body;
}

describe('CRUD', () => {
  test('creates, reads, lists, replaces and deletes an order', async () => {
    const { res, order, etag } = await create(alice, sampleOrder({ notes: 'leave at the door' }));
    assert.equal(res.headers.get('location'), `/v1/orders/${order.id}`);
    assert.match(etag, /^"v1"$/);
    assert.equal(order.status, 'pending');
    assert.equal(order.total_minor, 2500);
    assert.equal(order.notes, 'leave at the door');

    const got = await alice.call('GET', `/v1/orders/${order.id}`);
    assert.equal(got.status, 200);
    assert.match(got.headers.get('content-type')!, /^application\/json/);
    assert.equal(got.headers.get('etag'), etag);
    assert.deepEqual(await got.json(), order);

    const listed = (await (await alice.call('GET', '/v1/orders')).json()) as { data: OrderBody[] };
    assert.ok(listed.data.some((o) => o.id === order.id));

    const replaced = await alice.call('PUT', `/v1/orders/${order.id}`, {
      body: { ...sampleOrder({ reference: order.reference }), status: 'confirmed', items: [{ sku: 'SKU-2', name: 'Red', quantity: 3, unit_price_minor: 100 }] },
      headers: { 'if-match': etag },
    });
    assert.equal(replaced.status, 200);
    assert.equal(replaced.headers.get('etag'), '"v2"');
    const after = (await replaced.json()) as OrderBody;
    assert.equal(after.status, 'confirmed');
    assert.equal(after.total_minor, 300);
    assert.equal(after.notes, null);

    const deleted = await alice.call('DELETE', `/v1/orders/${order.id}`);
    assert.equal(deleted.status, 204);
    await problem(await alice.call('GET', `/v1/orders/${order.id}`), 404, 'not_found');
  });

  test('a second order with the same reference is a 409 conflict', async () => {
    const body = sampleOrder();
    await create(alice, body);
    await problem(await alice.call('POST', '/v1/orders', { body }), 409, 'conflict');
    // references are per partner: another partner may use the same one
    await create(bob, body);
  });

  test('scopes: orders:read may read but not write', async () => {
    const reader = await orderCaller(stack, ['orders:read']);
    assert.equal((await reader.call('GET', '/v1/orders')).status, 200);
    const res = await reader.call('POST', '/v1/orders', { body: sampleOrder() });
    await problem(res, 403, 'insufficient_scope');
  });
});

describe('partner isolation (BOLA)', () => {
  test("another partner's order answers 404 exactly as a missing one, for every method", async () => {
    const { order, etag } = await create(alice);
    const missing = randomUUID();
    const strip = ({ request_id: _id, ...rest }: ProblemBody) => rest;
    for (const [method, body] of [['GET', undefined], ['PUT', { ...sampleOrder(), status: 'cancelled' }], ['DELETE', undefined]] as const) {
      const theirs = await bob.call(method, `/v1/orders/${order.id}`, { body, headers: { 'if-match': etag } });
      const none = await bob.call(method, `/v1/orders/${missing}`, { body, headers: { 'if-match': etag } });
      assert.deepEqual(strip(await problem(theirs, 404, 'not_found')), strip(await problem(none, 404, 'not_found')), method);
      assert.equal(theirs.headers.get('etag'), null);
    }
    // nothing Bob did changed Alice's order
    const still = await alice.call('GET', `/v1/orders/${order.id}`);
    assert.equal(still.headers.get('etag'), etag);
    assert.equal(((await still.json()) as OrderBody).status, 'pending');
  });

  test("another partner's orders never appear in a list, whatever the filters or cursor", async () => {
    const { order } = await create(alice);
    const ids = new Set<string>();
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${cursor}` : '';
      const page = (await (await bob.call('GET', `/v1/orders?limit=100${q}`)).json()) as { data: OrderBody[]; next_cursor: string | null };
      for (const o of page.data) ids.add(o.id);
      cursor = page.next_cursor;
    } while (cursor);
    assert.ok(!ids.has(order.id));
    const filtered = (await (await bob.call('GET', '/v1/orders?status=pending')).json()) as { data: OrderBody[] };
    assert.ok(filtered.data.every((o) => o.id !== order.id));
  });

  test('a malformed order id is a 404', async () => {
    for (const id of ['123', 'not-a-uuid', `${randomUUID()}x`, '00000000-0000-0000-0000-000000000000']) {
      await problem(await alice.call('GET', `/v1/orders/${id}`), 404, 'not_found');
    }
  });
});

describe('optimistic concurrency', () => {
  test('PUT needs If-Match with the current ETag: missing 428, stale or weak 412', async () => {
    const { order, etag } = await create(alice);
    const body = { ...sampleOrder({ reference: order.reference }), status: 'confirmed' };
    await problem(await alice.call('PUT', `/v1/orders/${order.id}`, { body }), 428, 'precondition_required');
    await problem(await alice.call('PUT', `/v1/orders/${order.id}`, { body, headers: { 'if-match': '"v9"' } }), 412, 'precondition_failed');
    await problem(await alice.call('PUT', `/v1/orders/${order.id}`, { body, headers: { 'if-match': `W/${etag}` } }), 412, 'precondition_failed');
    const ok = await alice.call('PUT', `/v1/orders/${order.id}`, { body, headers: { 'if-match': `"v7", ${etag}` } });
    assert.equal(ok.status, 200);
    // the old ETag is now stale
    await problem(await alice.call('PUT', `/v1/orders/${order.id}`, { body, headers: { 'if-match': etag } }), 412, 'precondition_failed');
    await problem(await alice.call('DELETE', `/v1/orders/${order.id}`, { headers: { 'if-match': etag } }), 412, 'precondition_failed');
    assert.equal((await alice.call('DELETE', `/v1/orders/${order.id}`, { headers: { 'if-match': ok.headers.get('etag')! } })).status, 204);
  });

  test('of two concurrent PUTs with the same If-Match, exactly one wins', async () => {
    const { order, etag } = await create(alice);
    const put = (status: string) => alice.call('PUT', `/v1/orders/${order.id}`, {
      body: { ...sampleOrder({ reference: order.reference }), status }, headers: { 'if-match': etag },
    });
    const results = await Promise.all([put('confirmed'), put('cancelled'), put('shipped')]);
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 412, 412]);
    await Promise.all(results.map((r) => r.body?.cancel()));
    const now = await alice.call('GET', `/v1/orders/${order.id}`);
    assert.equal(now.headers.get('etag'), '"v2"');
  });
});

describe('pagination and filters', () => {
  test('walks every order once with an opaque cursor, newest first', async () => {
    const carol = await orderCaller(stack);
    const created: string[] = [];
    for (let i = 0; i < 5; i += 1) created.push((await create(carol)).order.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await carol.call('GET', `/v1/orders?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      const page = (await res.json()) as { data: OrderBody[]; next_cursor: string | null };
      assert.ok(page.data.length <= 2);
      seen.push(...page.data.map((o) => o.id));
      cursor = page.next_cursor;
      pages += 1;
    } while (cursor);
    assert.equal(pages, 3);
    assert.deepEqual(seen, [...created].reverse());
  });

  test('filters by status and creation time', async () => {
    const dave = await orderCaller(stack);
    const first = await create(dave);
    await create(dave);
    // the first order is an hour older than the second
    await stack.db.prisma.order.update({ where: { id: first.order.id }, data: { createdAt: new Date(Date.now() - 3_600_000) } });
    const midpoint = new Date(Date.now() - 1_800_000).toISOString();
    await dave.call('PUT', `/v1/orders/${first.order.id}`, {
      body: { ...sampleOrder({ reference: first.order.reference }), status: 'cancelled' }, headers: { 'if-match': first.etag },
    });
    const cancelled = (await (await dave.call('GET', '/v1/orders?status=cancelled')).json()) as { data: OrderBody[] };
    assert.deepEqual(cancelled.data.map((o) => o.id), [first.order.id]);
    const before = (await (await dave.call('GET', `/v1/orders?created_before=${encodeURIComponent(midpoint)}`)).json()) as { data: OrderBody[] };
    assert.deepEqual(before.data.map((o) => o.id), [first.order.id]);
    const since = (await (await dave.call('GET', `/v1/orders?created_after=${encodeURIComponent(midpoint)}`)).json()) as { data: OrderBody[] };
    assert.equal(since.data.length, 1);
    assert.notEqual(since.data[0]!.id, first.order.id);
  });

  test('refuses out-of-range page sizes, unknown parameters, repeated parameters and forged cursors', async () => {
    for (const q of ['limit=0', 'limit=101', 'limit=abc', 'limit=-1', 'sort=id', 'status=lost', 'status=pending&status=cancelled',
      'created_after=yesterday', `cursor=${Buffer.from('{"c":"x","i":"y"}').toString('base64url')}`, 'cursor=%00%01']) {
      const body = await problem(await alice.call('GET', `/v1/orders?${q}`), 400, 'validation_failed');
      assert.ok(body.request_id, q);
    }
  });
});

describe('Idempotency-Key', () => {
  async function rowsWithReference(reference: string): Promise<number> {
    return stack.db.prisma.order.count({ where: { reference } });
  }

  test('a retry with the same key returns the same order and creates no second one', async () => {
    const body = sampleOrder();
    const key = randomUUID();
    const first = await create(alice, body, { 'idempotency-key': key });
    const retry = await create(alice, body, { 'idempotency-key': key });
    assert.equal(retry.order.id, first.order.id);
    assert.deepEqual(retry.order, first.order);
    assert.equal(retry.etag, first.etag);
    assert.equal(retry.res.headers.get('idempotent-replayed'), 'true');
    assert.equal(first.res.headers.get('idempotent-replayed'), null);
    assert.equal(await rowsWithReference(body['reference'] as string), 1);
  });

  test('concurrent retries with the same key create exactly one order', async () => {
    const body = sampleOrder();
    const key = randomUUID();
    const results = await Promise.all(Array.from({ length: 5 }, () => alice.call('POST', '/v1/orders', { body, headers: { 'idempotency-key': key } })));
    const orders = await Promise.all(results.map(async (r) => { assert.equal(r.status, 201); return (await r.json()) as OrderBody; }));
    assert.equal(new Set(orders.map((o) => o.id)).size, 1);
    assert.equal(await rowsWithReference(body['reference'] as string), 1);
  });

  test('the same key with a different body is refused with 422 idempotency_key_reused', async () => {
    const key = randomUUID();
    const { order } = await create(alice, sampleOrder(), { 'idempotency-key': key });
    const res = await alice.call('POST', '/v1/orders', { body: sampleOrder(), headers: { 'idempotency-key': key } });
    const body = await problem(res, 422, 'idempotency_key_reused');
    assert.ok(!JSON.stringify(body).includes(order.id));
  });

  test('keys are scoped per client: the same key from another client is a new request', async () => {
    const key = randomUUID();
    const a = await create(alice, sampleOrder({ reference: 'SHARED-KEY-REF' }), { 'idempotency-key': key });
    const b = await create(bob, sampleOrder({ reference: 'SHARED-KEY-REF' }), { 'idempotency-key': key });
    assert.notEqual(a.order.id, b.order.id);
  });

  test('an expired key no longer replays', async () => {
    const key = randomUUID();
    const body = sampleOrder();
    const first = await create(alice, body, { 'idempotency-key': key });
    await stack.db.prisma.idempotencyKey.updateMany({ where: { key }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await alice.call('DELETE', `/v1/orders/${first.order.id}`);
    const again = await create(alice, body, { 'idempotency-key': key });
    assert.notEqual(again.order.id, first.order.id);
    assert.equal(again.res.headers.get('idempotent-replayed'), null);
  });

  test("expired keys are swept by later requests, any client's", async () => {
    const key = randomUUID();
    await create(bob, sampleOrder(), { 'idempotency-key': key });
    await stack.db.prisma.idempotencyKey.updateMany({ where: { key }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await create(alice, sampleOrder(), { 'idempotency-key': randomUUID() });
    assert.equal(await stack.db.prisma.idempotencyKey.count({ where: { key } }), 0);
  });
});

describe('audit', () => {
  test('every change writes one audit event naming actor, credential, request and outcome', async () => {
    const { res, order, etag } = await create(alice);
    const put = await alice.call('PUT', `/v1/orders/${order.id}`, {
      body: { ...sampleOrder({ reference: order.reference }), status: 'confirmed' }, headers: { 'if-match': etag },
    });
    const del = await alice.call('DELETE', `/v1/orders/${order.id}`);
    const events = await stack.db.prisma.auditEvent.findMany({ where: { targetId: order.id }, orderBy: { at: 'asc' } });
    assert.deepEqual(events.map((e) => e.action), ['order.create', 'order.update', 'order.delete']);
    const requestIds = [res, put, del].map((r) => r.headers.get('x-request-id'));
    for (const [i, e] of events.entries()) {
      assert.equal(e.actorType, 'client');
      assert.equal(e.actorId, alice.client.clientId);
      assert.equal(e.credential, 'bearer');
      assert.equal(e.partnerId, alice.client.partnerId);
      assert.equal(e.targetType, 'order');
      assert.equal(e.outcome, 'success');
      assert.equal(e.requestId, requestIds[i]);
      assert.ok(e.ip);
    }
    assert.deepEqual(events.map((e) => `${e.method} ${e.path}`), [
      'POST /v1/orders', `PUT /v1/orders/${order.id}`, `DELETE /v1/orders/${order.id}`,
    ]);
  });

  test('a refused change changes nothing and is recorded as a failure, naming who tried', async () => {
    const { order } = await create(alice);
    await bob.call('DELETE', `/v1/orders/${order.id}`);
    await alice.call('PUT', `/v1/orders/${order.id}`, { body: { ...sampleOrder(), status: 'confirmed' }, headers: { 'if-match': '"v5"' } });
    const events = await stack.db.prisma.auditEvent.findMany({ where: { targetId: order.id }, orderBy: { at: 'asc' } });
    assert.deepEqual(events.map((e) => [e.action, e.outcome, e.actorId, e.partnerId, (e.diff as { code?: string } | null)?.code ?? null]), [
      ['order.create', 'success', alice.client.clientId, alice.client.partnerId, null],
      ['order.delete', 'failure', bob.client.clientId, bob.client.partnerId, 'not_found'],
      ['order.update', 'failure', alice.client.clientId, alice.client.partnerId, 'precondition_failed'],
    ]);
    const still = await alice.call('GET', `/v1/orders/${order.id}`);
    assert.equal(still.headers.get('etag'), '"v1"');
    await still.body?.cancel();
  });

  test('if the audit event cannot be written, the change does not happen', async () => {
    // A trigger makes inserting an audit event for these orders fail inside the transaction.
    await stack.db.prisma.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION passerelle_test_fail_audit() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'audit store unavailable (test trigger)'; END $$ LANGUAGE plpgsql`);
    await stack.db.prisma.$executeRawUnsafe(`CREATE TRIGGER passerelle_test_fail_audit BEFORE INSERT ON audit_events
      FOR EACH ROW WHEN (NEW.diff::text LIKE '%AUDIT-FAILS%') EXECUTE FUNCTION passerelle_test_fail_audit()`);
    try {
      const key = randomUUID();
      const res = await alice.call('POST', '/v1/orders', { body: sampleOrder({ reference: 'AUDIT-FAILS-1' }), headers: { 'idempotency-key': key } });
      const text = await res.text();
      assert.equal(res.status, 500);
      assert.equal((JSON.parse(text) as ProblemBody).code, 'internal_error');
      assert.doesNotMatch(text, /audit store|trigger|audit_events|prisma|at /i);
      assert.equal(await stack.db.prisma.order.count({ where: { reference: 'AUDIT-FAILS-1' } }), 0);
      assert.equal(await stack.db.prisma.idempotencyKey.count({ where: { key } }), 0);

      // updates and deletes roll back too
      const { order, etag } = await create(alice, sampleOrder({ notes: 'fine' }));
      const put = await alice.call('PUT', `/v1/orders/${order.id}`, {
        body: { ...sampleOrder({ reference: order.reference }), status: 'shipped', notes: 'AUDIT-FAILS' }, headers: { 'if-match': etag },
      });
      assert.equal(put.status, 500);
      await put.body?.cancel();
      const still = await alice.call('GET', `/v1/orders/${order.id}`);
      assert.equal(still.headers.get('etag'), etag);
      assert.equal(((await still.json()) as OrderBody).status, 'pending');
    } finally {
      await stack.db.prisma.$executeRawUnsafe('DROP TRIGGER IF EXISTS passerelle_test_fail_audit ON audit_events');
    }
  });
});

describe('signed writes (default signature policy)', () => {
  test('a signed order is created from the exact bytes that were signed; altered bytes are refused', async () => {
    const client = await registerClient(stack, ['orders:read', 'orders:write'], { rateTier: 'premium' });
    const token = await getToken(stack, client, 'orders:read orders:write');
    const json = { 'content-type': 'application/json' };

    const unsigned = await callApi(stack, '/v1/orders', token, { method: 'POST', headers: json, body: JSON.stringify(sampleOrder()) });
    assert.equal(unsigned.status, 401);
    await unsigned.body?.cancel();

    // whitespace and key order are part of what is signed and of what is parsed
    const body = `{ "currency":"EUR",\n  "reference":"${sampleOrder()['reference'] as string}", "items":[{"sku":"S","name":"n","quantity":1,"unit_price_minor":9}] }`;
    const signed = await callApiSigned(stack, '/v1/orders', token, client.signing, { method: 'POST', headers: json, body });
    assert.equal(signed.status, 201, await signed.clone().text());
    const order = (await signed.json()) as OrderBody;
    assert.equal(order.total_minor, 9);

    const tampered = await callApi(stack, '/v1/orders', token, {
      method: 'POST', headers: { ...json, 'x-signature': signatureFor(client.signing, 'POST', '/v1/orders', body) }, body: body.replace('"quantity":1', '"quantity":9'),
    });
    assert.equal(tampered.status, 401);
    assert.equal(((await tampered.json()) as ProblemBody).code, 'invalid_signature');
    assert.equal(await stack.db.prisma.order.count({ where: { partnerId: client.partnerId } }), 1);
  });
});
