import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { decodeCursor, encodeCursor, etagOf, ifMatchAllows, newOrder, orderListQuery } from '../src/index.ts';
import { totalOf } from '../src/view.ts';

test('If-Match uses the strong comparison: weak tags and other versions never match, * always does', () => {
  const order = { version: 3 };
  assert.equal(etagOf(order), '"v3"');
  assert.ok(ifMatchAllows('"v3"', order));
  assert.ok(ifMatchAllows('"v1", "v3"', order));
  assert.ok(ifMatchAllows('*', order));
  assert.ok(!ifMatchAllows('W/"v3"', order));
  assert.ok(!ifMatchAllows('"v2"', order));
  assert.ok(!ifMatchAllows('v3', order));
  assert.ok(!ifMatchAllows('', order));
});

test('a cursor round-trips, and anything else is refused as validation_failed', () => {
  const position = { createdAt: new Date('2026-11-23T10:00:00.123Z'), id: randomUUID() };
  assert.deepEqual(decodeCursor(encodeCursor(position)), position);
  for (const forged of ['', 'not-base64!', Buffer.from('{"c":"2026-11-23T10:00:00Z","i":"1 OR 1=1"}').toString('base64url'),
    Buffer.from(JSON.stringify({ c: position.createdAt.toISOString(), i: position.id, partner: 'x' })).toString('base64url')]) {
    assert.throws(() => decodeCursor(forged), { code: 'validation_failed' }, forged);
  }
});

test('totals are exact at the largest bounded order', () => {
  const items = Array.from({ length: 100 }, (_, i) => ({ sku: `S${i}`, name: 'n', quantity: 10_000, unit_price_minor: 1_000_000_000 }));
  assert.equal(totalOf(items), 1_000_000_000_000_000n);
  assert.ok(Number.isSafeInteger(Number(totalOf(items))));
  assert.ok(newOrder.safeParse({ reference: 'R-1', currency: 'EUR', items }).success);
});

test('list queries: limit defaults to 20 and is bounded; times must carry an offset', () => {
  assert.equal(orderListQuery.parse({}).limit, 20);
  assert.equal(orderListQuery.parse({ limit: '100' }).limit, 100);
  for (const bad of [{ limit: '101' }, { limit: '0' }, { limit: '1e2' }, { created_after: '2026-11-23T10:00:00' }, { page: '2' }]) {
    assert.ok(!orderListQuery.safeParse(bad).success, JSON.stringify(bad));
  }
  assert.ok(orderListQuery.parse({ created_after: '2026-11-23T10:00:00+01:00' }).created_after instanceof Date);
});
