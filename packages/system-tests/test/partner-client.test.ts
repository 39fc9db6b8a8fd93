// The partner client (@passerelle/client) against the real services: it gets
// and reuses client-credentials tokens, signs what the client's policy asks to
// be signed, surfaces refusals as typed errors with their code and request id,
// and replaces a token the API stopped accepting.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createPartnerClient, PasserelleError, type NewOrder } from '@passerelle/client';
import { basic, refusedByApi, registerClient, startStack, type Stack, type TestClient } from '../src/index.ts';

let stack: Stack;
let partner: TestClient;

before(async () => {
  stack = await startStack();
  partner = await registerClient(stack, ['orders:read', 'orders:write']);
});

after(async () => {
  await stack?.close();
});

/** A client whose token requests are counted, and the tokens it was given. */
function countingClient(options: { signed: boolean }) {
  const issued: string[] = [];
  const fetchCounting: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    if (String(input).endsWith('/token') && res.ok) issued.push(((await res.clone().json()) as { access_token: string }).access_token);
    return res;
  };
  const client = createPartnerClient({
    authUrl: stack.authUrl, apiUrl: stack.apiUrl, consumerKey: partner.clientId, consumerSecret: partner.clientSecret,
    scope: 'orders:read orders:write', fetch: fetchCounting, ...(options.signed ? { signing: partner.signing } : {}),
  });
  return { client, issued };
}

let counter = 0;
function anOrder(): NewOrder {
  counter += 1;
  return { reference: `SDK-${process.pid}-${counter}`, currency: 'EUR', items: [{ sku: 'SKU-1', name: 'Widget', quantity: 3, unit_price_minor: 500 }] };
}

test('creates, reads, replaces and deletes an order, signed, on one token', async () => {
  const { client, issued } = countingClient({ signed: true });
  const first = anOrder();
  const key = `sdk-${process.pid}-1`;
  const created = await client.orders.create(first, { idempotencyKey: key });
  assert.equal(created.status, 201);
  assert.equal(created.body.total_minor, 1500);
  const retried = await client.orders.create(first, { idempotencyKey: key });
  assert.equal(retried.body.id, created.body.id, 'a retry is the same order');
  assert.equal(retried.headers.get('idempotent-replayed'), 'true');
  const reused = await client.orders.create(anOrder(), { idempotencyKey: key }).catch((err: unknown) => err);
  assert.ok(reused instanceof PasserelleError, String(reused));
  assert.equal(reused.status, 422);
  assert.equal(reused.code, 'idempotency_key_reused');

  const read = await client.orders.get(created.body.id);
  assert.equal(read.body.reference, created.body.reference);
  const replaced = await client.orders.replace(created.body.id, { ...anOrder(), status: 'confirmed' }, read.etag!);
  assert.equal(replaced.body.status, 'confirmed');
  assert.notEqual(replaced.etag, read.etag);

  const stale = await client.orders.replace(created.body.id, { ...anOrder(), status: 'shipped' }, read.etag!).catch((err: unknown) => err);
  assert.ok(stale instanceof PasserelleError, String(stale));
  assert.equal(stale.status, 412);
  assert.equal(stale.code, 'precondition_failed');
  assert.match(stale.requestId ?? '', /\S{8,}/);

  await client.orders.remove(created.body.id, replaced.etag!);
  const gone = await client.orders.get(created.body.id).catch((err: unknown) => err);
  assert.ok(gone instanceof PasserelleError && gone.status === 404 && gone.code === 'not_found', String(gone));
  assert.equal((await client.orders.list({ limit: 5 })).data.some((o) => o.id === created.body.id), false);
  assert.equal(issued.length, 1, 'one token for every call');
});

test('a write without the signing key is refused with the signature code, not retried into success', async () => {
  const { client } = countingClient({ signed: false });
  const refused = await client.orders.create(anOrder()).catch((err: unknown) => err);
  assert.ok(refused instanceof PasserelleError, String(refused));
  assert.equal(refused.status, 401);
  assert.equal(refused.code, 'signature_required');
});

test('a token revoked at the auth service is replaced by a new one, once', async () => {
  const { client, issued } = countingClient({ signed: true });
  const { body: order } = await client.orders.create(anOrder());
  assert.equal(issued.length, 1);
  const revoked = await fetch(`${stack.authUrl}/token/revocation`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(partner.clientId, partner.clientSecret) },
    body: new URLSearchParams({ token: issued[0]!, token_type_hint: 'access_token' }),
  });
  assert.equal(revoked.status, 200);
  assert.ok(await refusedByApi(stack, `/v1/orders/${order.id}`, issued[0]!), 'the API refuses the revoked token');

  assert.equal((await client.orders.get(order.id)).body.id, order.id);
  assert.equal(issued.length, 2, 'a new token, asked for once');
});

test('wrong credentials are the token endpoint\'s invalid_client', async () => {
  const client = createPartnerClient({ authUrl: stack.authUrl, apiUrl: stack.apiUrl, consumerKey: partner.clientId, consumerSecret: 'not-the-secret' });
  const refused = await client.orders.list().catch((err: unknown) => err);
  assert.ok(refused instanceof PasserelleError, String(refused));
  assert.equal(refused.status, 401);
  assert.equal(refused.code, 'invalid_client');
});
