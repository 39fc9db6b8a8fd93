// Hostile input against /v1/orders: SQL-injection and XSS payloads in every
// field (body, query, path, headers), malformed and oversized bodies. Each is
// refused with a problem+json 4xx or stored as an inert string and returned
// as JSON; no response ever carries a stack, SQL or an internal identifier.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { orderCaller, sampleOrder, startStack, type OrderCaller, type Stack } from '../src/index.ts';

const payloads = [
  "' OR '1'='1",
  "1; DROP TABLE orders; --",
  "'); DELETE FROM audit_events; --",
  '" UNION SELECT client_id, secret_hash FROM clients --',
  "1' AND pg_sleep(5) --",
  '<script>alert(document.cookie)</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '{{7*7}} ${7*7} <%= 7*7 %>',
  '$where: function() { return true }',
];

let stack: Stack;
let caller: OrderCaller;
const leaks = /at \w+ \(|\.ts:\d+|node_modules|prisma|postgres|syntax error|relation "|SELECT|INSERT|stack|P20\d\d|secret_hash/i;

before(async () => {
  stack = await startStack();
  caller = await orderCaller(stack);
});
after(() => stack.close());

/** A refusal in the one envelope, with nothing internal in it. */
async function assertProblem(res: Response, status: number, code?: string): Promise<Record<string, unknown>> {
  const text = await res.text();
  assert.equal(res.status, status, text);
  assert.equal(res.headers.get('content-type'), 'application/problem+json');
  const body = JSON.parse(text) as Record<string, unknown>;
  for (const key of ['type', 'title', 'status', 'code', 'request_id']) assert.ok(key in body, `${key} missing: ${text}`);
  for (const key of Object.keys(body)) assert.ok(['type', 'title', 'status', 'code', 'request_id', 'detail', 'errors'].includes(key), `unexpected ${key}`);
  assert.equal(body['status'], status);
  assert.equal(body['request_id'], res.headers.get('x-request-id'));
  if (code) assert.equal(body['code'], code);
  assert.doesNotMatch(JSON.stringify({ ...body, errors: undefined }), leaks);
  return body;
}

async function tablesIntact() {
  assert.ok((await stack.db.prisma.order.count()) >= 0);
  assert.ok((await stack.db.prisma.auditEvent.count()) > 0);
  assert.ok((await stack.db.prisma.client.count()) > 0);
}

describe('injection payloads', () => {
  test('in free-text fields they are stored inert and returned as the same JSON strings', async () => {
    for (const payload of payloads) {
      const res = await caller.call('POST', '/v1/orders', {
        body: sampleOrder({ notes: payload, items: [{ sku: 'S-1', name: payload, quantity: 1, unit_price_minor: 5 }] }),
      });
      assert.equal(res.status, 201, payload);
      assert.match(res.headers.get('content-type')!, /^application\/json/);
      const created = (await res.json()) as { id: string; notes: string; items: { name: string }[] };
      assert.equal(created.notes, payload);
      const got = (await (await caller.call('GET', `/v1/orders/${created.id}`)).json()) as typeof created;
      assert.equal(got.notes, payload);
      assert.equal(got.items[0]!.name, payload);
    }
    await tablesIntact();
  });

  test('in identifier and enum fields they are refused with 400 validation_failed', async () => {
    for (const payload of payloads) {
      for (const field of ['reference', 'currency']) {
        await assertProblem(await caller.call('POST', '/v1/orders', { body: sampleOrder({ [field]: payload }) }), 400, 'validation_failed');
      }
      const badSku = sampleOrder({ items: [{ sku: payload, name: 'x', quantity: 1, unit_price_minor: 1 }] });
      await assertProblem(await caller.call('POST', '/v1/orders', { body: badSku }), 400, 'validation_failed');
      await assertProblem(await caller.call('POST', '/v1/orders', { body: sampleOrder({ items: [{ sku: 'A', name: 'x', quantity: payload, unit_price_minor: 1 }] }) }), 400, 'validation_failed');
    }
    const { id, ref } = await (async () => {
      const o = (await (await caller.call('POST', '/v1/orders', { body: sampleOrder() })).json()) as { id: string; reference: string };
      return { id: o.id, ref: o.reference };
    })();
    for (const payload of payloads) {
      const res = await caller.call('PUT', `/v1/orders/${id}`, { body: { ...sampleOrder({ reference: ref }), status: payload }, headers: { 'if-match': '"v1"' } });
      await assertProblem(res, 400, 'validation_failed');
    }
    await tablesIntact();
  });

  test('in query parameters (values and names) they are refused', async () => {
    for (const payload of payloads) {
      for (const name of ['status', 'created_after', 'created_before', 'limit', 'cursor']) {
        const res = await caller.call('GET', `/v1/orders?${name}=${encodeURIComponent(payload)}`);
        await assertProblem(res, 400, 'validation_failed');
      }
      await assertProblem(await caller.call('GET', `/v1/orders?${encodeURIComponent(payload)}=1`), 400, 'validation_failed');
    }
    await tablesIntact();
  });

  test('in the path they name no order: 404', async () => {
    for (const payload of payloads) {
      for (const method of ['GET', 'PUT', 'DELETE']) {
        const res = await caller.call(method, `/v1/orders/${encodeURIComponent(payload)}`, method === 'PUT' ? { body: { ...sampleOrder(), status: 'pending' } } : {});
        await assertProblem(res, 404, 'not_found');
      }
    }
    await tablesIntact();
  });

  test('in headers they are stored inert (Idempotency-Key) or refused (If-Match, X-Request-Id)', async () => {
    for (const payload of payloads) {
      const body = sampleOrder();
      const first = await caller.call('POST', '/v1/orders', { body, headers: { 'idempotency-key': payload } });
      assert.equal(first.status, 201, payload);
      const again = await caller.call('POST', '/v1/orders', { body, headers: { 'idempotency-key': payload } });
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      const { id } = (await first.json()) as { id: string };
      assert.equal(((await again.json()) as { id: string }).id, id);
      assert.equal(await stack.db.prisma.idempotencyKey.count({ where: { clientId: caller.client.clientId, key: payload } }), 1);

      await assertProblem(await caller.call('PUT', `/v1/orders/${id}`, {
        body: { ...body, status: 'confirmed' }, headers: { 'if-match': payload },
      }), 412, 'precondition_failed');
      await assertProblem(await caller.call('DELETE', `/v1/orders/${id}`, { headers: { 'if-match': payload } }), 412, 'precondition_failed');

      const traced = await caller.call('GET', '/v1/orders', { headers: { 'x-request-id': payload } });
      assert.notEqual(traced.headers.get('x-request-id'), payload);
      await traced.body?.cancel();
    }
    const tooLong = await caller.call('POST', '/v1/orders', { body: sampleOrder(), headers: { 'idempotency-key': 'k'.repeat(256) } });
    const problem = await assertProblem(tooLong, 400, 'validation_failed');
    assert.deepEqual((problem['errors'] as { path: string }[]).map((e) => e.path), ['Idempotency-Key']);
    await tablesIntact();
  });
});

describe('bodies', () => {
  test('unknown fields are refused with their paths, and a partner cannot set server-owned fields', async () => {
    const body = { ...sampleOrder(), id: randomUUID(), partner_id: randomUUID(), total_minor: 1, status: 'delivered', items: [{ sku: 'A', name: 'x', quantity: 1, unit_price_minor: 1, discount: 100 }] };
    const problem = await assertProblem(await caller.call('POST', '/v1/orders', { body }), 400, 'validation_failed');
    const paths = (problem['errors'] as { path: string }[]).map((e) => e.path).sort();
    assert.deepEqual(paths, ['id', 'items.0.discount', 'partner_id', 'status', 'total_minor']);
    assert.ok(!JSON.stringify(problem).includes(body.id), 'values are not echoed');
  });

  test('lengths, ranges and types are bounded', async () => {
    const cases: Record<string, unknown>[] = [
      sampleOrder({ reference: 'R'.repeat(65) }),
      sampleOrder({ notes: 'n'.repeat(1001) }),
      sampleOrder({ notes: 'nul \u0000 byte' }),
      sampleOrder({ notes: 'lone \ud800 surrogate' }),
      sampleOrder({ currency: 'eur' }),
      sampleOrder({ items: [] }),
      sampleOrder({ items: Array.from({ length: 101 }, (_, i) => ({ sku: `S${i}`, name: 'x', quantity: 1, unit_price_minor: 1 })) }),
      sampleOrder({ items: [{ sku: 'A', name: 'x', quantity: 0, unit_price_minor: 1 }] }),
      sampleOrder({ items: [{ sku: 'A', name: 'x', quantity: 1.5, unit_price_minor: 1 }] }),
      sampleOrder({ items: [{ sku: 'A', name: 'x', quantity: 1, unit_price_minor: -1 }] }),
      sampleOrder({ items: [{ sku: 'A', name: 'x', quantity: 1e20, unit_price_minor: 1 }] }),
      sampleOrder({ items: [{ sku: 'A', name: 'x', quantity: '1', unit_price_minor: 1 }] }),
      sampleOrder({ reference: ['R-1'] }),
      sampleOrder({ notes: { $ne: null } }),
    ];
    for (const body of cases) await assertProblem(await caller.call('POST', '/v1/orders', { body }), 400, 'validation_failed');
    for (const body of ['[]', 'null', '"order"', '42']) await assertProblem(await caller.call('POST', '/v1/orders', { body }), 400, 'validation_failed');
    await tablesIntact();
  });

  test('the largest order the bounds allow is stored exactly', async () => {
    const items = Array.from({ length: 100 }, (_, i) => ({ sku: `S${i}`, name: 'n', quantity: 10_000, unit_price_minor: 1_000_000_000 }));
    const res = await caller.call('POST', '/v1/orders', { body: sampleOrder({ items }) });
    assert.equal(res.status, 201);
    assert.equal(((await res.json()) as { total_minor: number }).total_minor, 100 * 10_000 * 1_000_000_000);
  });

  test('bad JSON, deep JSON, a missing body and a prototype-pollution key are 400s', async () => {
    for (const body of ['{"reference":', "{'reference':'x'}", '{"a":1,}', `{"notes":${'['.repeat(64)}${']'.repeat(64)}}`, '']) {
      await assertProblem(await caller.call('POST', '/v1/orders', { body, headers: { 'content-type': 'application/json' } }), 400);
    }
    const polluted = `{"__proto__":{"admin":true},${JSON.stringify(sampleOrder()).slice(1)}`;
    await assertProblem(await caller.call('POST', '/v1/orders', { body: polluted }), 400, 'validation_failed');
    assert.equal(({} as Record<string, unknown>)['admin'], undefined);
  });

  test('a body that is not JSON is 415, one over the limit is 413', async () => {
    await assertProblem(await caller.call('POST', '/v1/orders', { body: 'reference=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'unsupported_media_type');
    await assertProblem(await caller.call('POST', '/v1/orders', { body: '<order/>', headers: { 'content-type': 'text/xml' } }), 415, 'unsupported_media_type');
    await assertProblem(await caller.call('POST', '/v1/orders', { body: sampleOrder({ notes: 'x'.repeat(70_000) }) }), 413, 'payload_too_large');
    // a body is refused before authentication: no credentials needed to be told 413/415
    const anonymous = await fetch(`${stack.apiUrl}/v1/orders`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' });
    await assertProblem(anonymous, 415, 'unsupported_media_type');
  });
});

describe('errors', () => {
  test('a database failure is a bare 500 in the envelope: no SQL, no stack, no ids', async () => {
    await stack.db.prisma.$executeRawUnsafe('ALTER TABLE orders RENAME TO orders_away');
    try {
      const res = await caller.call('GET', '/v1/orders');
      const body = await assertProblem(res, 500, 'internal_error');
      assert.equal(body['detail'], undefined);
      const post = await caller.call('POST', '/v1/orders', { body: sampleOrder() });
      await assertProblem(post, 500, 'internal_error');
    } finally {
      await stack.db.prisma.$executeRawUnsafe('ALTER TABLE orders_away RENAME TO orders');
    }
    assert.equal((await caller.call('GET', '/v1/orders')).status, 200);
  });
});
