// The token endpoint serves clients from a per-process cache. These tests
// attack that cache on two auth processes (separate connections, mirrors and
// caches, one database and Redis): each keeps a client for an hour unless told
// otherwise, so only the change broadcasts can make it see an admin's change.
// Each test first gets a token from both processes (the client is then cached
// on both), changes the client, and asks both again until they answer as the
// change requires; a cache that missed the change keeps answering the old way
// and the test fails.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { adminCaller, basic, registerClient, startStack, type AdminCaller, type Stack, type TestClient } from '../src/index.ts';

const HOUR_MS = 3_600_000;
/** Not a latency bound: long enough for a broadcast on a loaded machine, far shorter than the cache's hour. */
const PATIENCE_MS = 10_000;

let stack: Stack;
let admin: AdminCaller;
let processes: string[];
let offsetMs = 0;
const now = () => Date.now() + offsetMs;

before(async () => {
  stack = await startStack({ now, clientCacheTtlMs: HOUR_MS });
  admin = await adminCaller(stack);
  processes = [stack.authUrl, (await stack.startAuthProcess()).url];
});
after(() => stack.close());

function tokenAt(authUrl: string, client: Pick<TestClient, 'clientId' | 'clientSecret'>): Promise<number> {
  return fetch(`${authUrl}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(client.clientId, client.clientSecret) },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'partner:read' }),
  }).then(async (res) => {
    await res.arrayBuffer();
    return res.status;
  });
}

/** Asks every process until each answers `expected`; returns the processes that never did. */
async function untilEvery(client: Pick<TestClient, 'clientId' | 'clientSecret'>, expected: number): Promise<string[]> {
  const deadline = Date.now() + PATIENCE_MS;
  let pending = [...processes];
  while (pending.length > 0 && Date.now() < deadline) {
    const statuses = await Promise.all(pending.map((url) => tokenAt(url, client)));
    pending = pending.filter((_, i) => statuses[i] !== expected);
    if (pending.length > 0) await new Promise((r) => setTimeout(r, 20));
  }
  return pending;
}

/** Every process issues a token to the client now: it sits in every cache. */
async function cachedEverywhere(client: Pick<TestClient, 'clientId' | 'clientSecret'>): Promise<void> {
  for (const url of processes) assert.equal(await tokenAt(url, client), 200, `${url} issues a token before the change`);
}

test('a client disabled by an admin is refused by every auth process, and served again once enabled', async () => {
  const client = await registerClient(stack, ['partner:read']);
  await cachedEverywhere(client);

  const disabled = await admin.call('POST', `/clients/${client.clientId}/disable`);
  assert.equal(disabled.status, 200, disabled.text);
  assert.deepEqual(await untilEvery(client, 401), [], 'every process refuses the disabled client');
  // and keeps refusing: a read racing the change was not cached
  for (const url of processes) assert.equal(await tokenAt(url, client), 401);

  assert.equal((await admin.call('POST', `/clients/${client.clientId}/enable`)).status, 200);
  assert.deepEqual(await untilEvery(client, 200), [], 'every process serves the enabled client');
});

test("a partner's suspension refuses its clients on every auth process", async () => {
  const client = await registerClient(stack, ['partner:read']);
  await cachedEverywhere(client);
  const partner = await stack.db.prisma.partner.findUniqueOrThrow({ where: { id: client.partnerId } });

  assert.equal((await admin.call('POST', `/partners/${partner.slug}/disable`)).status, 200);
  assert.deepEqual(await untilEvery(client, 401), []);
  assert.equal((await admin.call('POST', `/partners/${partner.slug}/enable`)).status, 200);
  assert.deepEqual(await untilEvery(client, 200), []);
});

test('a rotation without grace refuses the old secret at once on every process; the new one works', async () => {
  const client = await registerClient(stack, ['partner:read']);
  await cachedEverywhere(client);

  const rotated = await admin.call('POST', `/clients/${client.clientId}/rotate-secret`, { graceSeconds: 0 });
  assert.equal(rotated.status, 200, rotated.text);
  const fresh = { clientId: client.clientId, clientSecret: rotated.body.consumerSecret as string };
  assert.deepEqual(await untilEvery(client, 401), [], 'the old secret is refused everywhere');
  assert.deepEqual(await untilEvery(fresh, 200), [], 'the new secret works everywhere');
});

test('a rotation with grace: the new secret works at once, the old one until the grace ends, then never', async () => {
  const client = await registerClient(stack, ['partner:read']);
  await cachedEverywhere(client);

  const rotated = await admin.call('POST', `/clients/${client.clientId}/rotate-secret`, { graceSeconds: 600 });
  assert.equal(rotated.status, 200, rotated.text);
  const fresh = { clientId: client.clientId, clientSecret: rotated.body.consumerSecret as string };
  // No revocation is written for a rotation with grace: only the change notice can tell the caches.
  assert.deepEqual(await untilEvery(fresh, 200), [], 'the new secret works on every process');
  for (const url of processes) assert.equal(await tokenAt(url, client), 200, 'the old secret works during the grace');

  offsetMs += 601_000; // the grace is over, whether or not the sweep has run yet
  for (const url of processes) assert.equal(await tokenAt(url, client), 401, 'the old secret is refused once the grace has ended');
  assert.deepEqual(await untilEvery(fresh, 200), [], 'the new secret still works');
});

test('an IP allowlist set by an admin applies on every process at once', async () => {
  const client = await registerClient(stack, ['partner:read']);
  await cachedEverywhere(client);

  // The tests call from loopback: an allowlist without it shuts them out.
  const edited = await admin.call('PATCH', `/clients/${client.clientId}`, { ipAllowlist: ['203.0.113.0/24'] });
  assert.equal(edited.status, 200, edited.text);
  assert.deepEqual(await untilEvery(client, 401), [], 'calls from outside the allowlist are refused everywhere');

  assert.equal((await admin.call('PATCH', `/clients/${client.clientId}`, { ipAllowlist: [] })).status, 200);
  assert.deepEqual(await untilEvery(client, 200), []);
});
