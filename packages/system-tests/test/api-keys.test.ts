// API keys (issue 7, seed 003), end to end against real PostgreSQL and Redis:
// the domain layer (shown once, stored hashed, scopes within the client's,
// partner-scoped lookups, audited) and the API's treatment of a key (Bearer
// with x-signature, refusals, scopes, revocation reaching the API promptly).
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createApiService, loadApiConfig, type ApiService } from '@passerelle/api';
import { apiKeyFormat } from '@passerelle/guard';
import { createLogger } from '@passerelle/log';
import { API_KEY_PATTERN, hashApiKey } from '@passerelle/registry';
import { openStore, type Store } from '@passerelle/store';
import { createUsageReader } from '@passerelle/usage';
import { adminCaller, basic, callApi, callApiSigned, registerClient, sampleOrder, startStack, tokenRequest, type Stack, type TestClient } from '../src/index.ts';

const admin = { type: 'admin' as const, id: 'test-admin', credential: 'bearer' };

let stack: Stack;
let acme: TestClient;
let globex: TestClient;

before(async () => {
  stack = await startStack();
  acme = await registerClient(stack, ['partner:read', 'orders:read', 'orders:write'], { rateTier: 'premium' });
  globex = await registerClient(stack, ['partner:read', 'orders:read']);
});
after(() => stack.close());

async function problemOf(promise: Promise<unknown>): Promise<{ code: string; status: number }> {
  try {
    await promise;
  } catch (err) {
    return err as { code: string; status: number };
  }
  throw new Error('expected a refusal');
}

describe('the API key registry', () => {
  test('returns the key once, in the documented format, and stores only its hash', async () => {
    const { apiKey, key } = await stack.registry.createApiKey(admin, { clientId: acme.clientId, name: 'CI', scopes: ['orders:read'] });
    assert.match(key, API_KEY_PATTERN);
    assert.equal(apiKeyFormat.source, API_KEY_PATTERN.source, 'the guard recognises exactly what the registry issues');
    assert.equal(Buffer.from(key.slice(4), 'base64url').length, 32);
    assert.equal(apiKey.prefix, key.slice(0, 10));
    assert.equal(apiKey.status, 'active');
    assert.equal(apiKey.partnerId, acme.partnerId);
    assert.ok(!JSON.stringify(apiKey).includes(key.slice(10)), 'the view holds no more of the key than its prefix');

    const row = await stack.db.prisma.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
    assert.equal(row.keyHash, hashApiKey(key));
    const everything = JSON.stringify(await stack.db.prisma.$queryRawUnsafe(`SELECT * FROM api_keys WHERE id = '${apiKey.id}'`));
    assert.ok(!everything.includes(key) && !everything.includes(key.slice(10)), 'the row holds no part of the secret');

    const events = await stack.db.prisma.auditEvent.findMany({ where: { targetId: apiKey.id } });
    assert.deepEqual(events.map((e) => e.action), ['api_key.create']);
    assert.equal(events[0]!.partnerId, acme.partnerId);
    assert.ok(!JSON.stringify(events).includes(key.slice(10)) && !JSON.stringify(events).includes(row.keyHash));
  });

  test('gives a key only scopes its client is allowed, never admin or profile', async () => {
    const tooMuch = await problemOf(stack.registry.createApiKey(admin, { clientId: globex.clientId, name: 'x', scopes: ['orders:write'] }));
    assert.equal(tooMuch.code, 'scope_not_allowed');
    const unknown = await problemOf(stack.registry.createApiKey(admin, { clientId: globex.clientId, name: 'x', scopes: ['root' as never] }));
    assert.equal(unknown.code, 'unknown_scope');
    const adminClient = await registerClient(stack, ['admin', 'partner:read']);
    const adminScope = await problemOf(stack.registry.createApiKey(admin, { clientId: adminClient.clientId, name: 'x', scopes: ['admin'] }));
    assert.equal(adminScope.code, 'scope_not_allowed');
  });

  test('refuses an expiry in the past, unknown fields and an unknown client', async () => {
    const past = await problemOf(stack.registry.createApiKey(admin, {
      clientId: acme.clientId, name: 'x', scopes: ['orders:read'], expiresAt: '2020-01-01T00:00:00Z',
    }));
    assert.equal(past.code, 'validation_failed');
    const extra = await problemOf(stack.registry.createApiKey(admin, { clientId: acme.clientId, name: 'x', scopes: ['orders:read'], owner: 'me' } as never));
    assert.equal(extra.code, 'unknown_field');
    const nobody = await problemOf(stack.registry.createApiKey(admin, { clientId: 'ck_nobody', name: 'x', scopes: ['orders:read'] }));
    assert.equal(nobody.status, 404);
  });

  test('confines a partner to its own keys and clients: another partner\'s id is not found', async () => {
    const acmeScope = { partnerId: acme.partnerId };
    const globexScope = { partnerId: globex.partnerId };
    const { apiKey } = await stack.registry.createApiKey(admin, { clientId: acme.clientId, name: 'mine', scopes: ['orders:read'] }, acmeScope);

    assert.equal((await problemOf(stack.registry.getApiKey(apiKey.id, globexScope))).status, 404);
    assert.equal((await problemOf(stack.registry.revokeApiKey(admin, apiKey.id, globexScope))).status, 404);
    assert.equal((await problemOf(stack.registry.revokeApiKey(admin, 'not-a-uuid', globexScope))).status, 404);
    assert.equal((await problemOf(stack.registry.createApiKey(admin, { clientId: acme.clientId, name: 'theirs', scopes: ['orders:read'] }, globexScope))).status, 404);
    assert.equal((await stack.registry.getApiKey(apiKey.id, acmeScope)).status, 'active', 'a refused revocation changed nothing');

    const listed = await stack.registry.listApiKeys({}, globexScope);
    assert.ok(listed.items.every((k) => k.partnerId === globex.partnerId));
    const own = await stack.registry.listApiKeys({ clientId: acme.clientId }, acmeScope);
    assert.ok(own.items.some((k) => k.id === apiKey.id));
    assert.ok(!JSON.stringify(own).includes('sha256:'), 'a list never shows a hash');
  });

  test('revokes once, with one audit event, and lists keys by status', async () => {
    const { apiKey } = await stack.registry.createApiKey(admin, { clientId: acme.clientId, name: 'to revoke', scopes: ['orders:read'] });
    const revoked = await stack.registry.revokeApiKey(admin, apiKey.id);
    assert.equal(revoked.status, 'revoked');
    assert.ok(revoked.revokedAt instanceof Date);
    assert.equal((await stack.registry.revokeApiKey(admin, apiKey.id)).status, 'revoked');
    const events = await stack.db.prisma.auditEvent.findMany({ where: { targetId: apiKey.id }, orderBy: { at: 'asc' } });
    assert.deepEqual(events.map((e) => e.action), ['api_key.create', 'api_key.revoke']);

    const revokedList = await stack.registry.listApiKeys({ clientId: acme.clientId, status: 'revoked' });
    assert.ok(revokedList.items.some((k) => k.id === apiKey.id));
    const activeList = await stack.registry.listApiKeys({ clientId: acme.clientId, status: 'active' });
    assert.ok(activeList.items.every((k) => k.id !== apiKey.id && k.status === 'active'));
  });
});

/** A key for `client` with `scopes`, straight from the registry. */
async function keyFor(client: TestClient, scopes: string[], extra: { expiresAt?: Date } = {}) {
  return stack.registry.createApiKey(admin, { clientId: client.clientId, name: 'test key', scopes: scopes as never, ...extra });
}

const json = { 'content-type': 'application/json' };

async function expectInvalid(res: Response, description: RegExp): Promise<void> {
  assert.equal(res.status, 401);
  const challenge = res.headers.get('www-authenticate') ?? '';
  assert.match(challenge, /^Bearer realm="passerelle", error="invalid_token", error_description="[^"]+"$/);
  assert.match(challenge, description);
  assert.equal(((await res.json()) as { code: string }).code, 'invalid_token');
}

describe('an API key on the API', () => {
  test('works as a Bearer credential, with a signed write, and acts as its client', async () => {
    const { key } = await keyFor(acme, ['orders:read', 'orders:write']);
    const order = sampleOrder();
    const created = await callApiSigned(stack, '/v1/orders', key, acme.signing, { method: 'POST', headers: json, body: JSON.stringify(order) });
    assert.equal(created.status, 201, await created.clone().text());
    const { id } = (await created.json()) as { id: string };
    const read = await callApi(stack, `/v1/orders/${id}`, key);
    assert.equal(read.status, 200);
    assert.match(read.headers.get('ratelimit-policy') ?? '', /"daily";q=10000000/, 'the premium tier of its client applies');

    const stored = await stack.db.prisma.order.findUniqueOrThrow({ where: { id } });
    assert.equal(stored.partnerId, acme.partnerId);
    const audit = await stack.db.prisma.auditEvent.findFirstOrThrow({ where: { targetId: id } });
    assert.equal(audit.credential, 'api_key');
    assert.equal(audit.actorId, acme.clientId);
  });

  test('follows its client\'s signature policy: an unsigned or wrongly signed write is refused', async () => {
    const { key } = await keyFor(acme, ['orders:write']);
    const body = JSON.stringify(sampleOrder());
    const unsigned = await callApi(stack, '/v1/orders', key, { method: 'POST', headers: json, body });
    assert.equal(unsigned.status, 401);
    assert.equal(((await unsigned.json()) as { code: string }).code, 'signature_required');
    const otherKey = { ...acme.signing, signingKey: globex.signing.signingKey };
    const forged = await callApiSigned(stack, '/v1/orders', key, otherKey, { method: 'POST', headers: json, body });
    assert.equal(((await forged.json()) as { code: string }).code, 'invalid_signature');
  });

  test('follows its client\'s IP allowlist: a good key from outside it is 403 ip_not_allowed', async () => {
    const fenced = await registerClient(stack, ['orders:read'], { ipAllowlist: ['192.0.2.0/24'] });
    const { key } = await keyFor(fenced, ['orders:read']);
    const res = await callApi(stack, '/v1/orders', key);
    assert.equal(res.status, 403);
    assert.equal(((await res.json()) as { code: string }).code, 'ip_not_allowed');
  });

  test('carries only its own scopes: a read-only key gets 403 insufficient_scope on a write', async () => {
    const { key } = await keyFor(acme, ['orders:read']);
    const res = await callApiSigned(stack, '/v1/orders', key, acme.signing, { method: 'POST', headers: json, body: JSON.stringify(sampleOrder()) });
    assert.equal(res.status, 403);
    assert.match(res.headers.get('www-authenticate') ?? '', /error="insufficient_scope", scope="orders:write"/);
    assert.equal((await callApi(stack, '/v1/partners/me', key)).status, 403, 'partner:read was not given to the key');
  });

  test('an unknown, malformed or altered key is refused with the token challenge', async () => {
    const { key } = await keyFor(globex, ['orders:read']);
    const altered = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
    await expectInvalid(await callApi(stack, '/v1/orders', altered), /the API key is not valid/);
    await expectInvalid(await callApi(stack, '/v1/orders', 'psk_short'), /the API key is not valid/);
    await expectInvalid(await callApi(stack, '/v1/orders', `psk_${'A'.repeat(43)}`), /the API key is not valid/);
    assert.equal((await callApi(stack, '/v1/orders', key)).status, 200);
  });

  test('works only as `Authorization: Bearer` at the API: not in the query, not as a Basic password, not at the token endpoint or the admin API', async () => {
    const { key } = await keyFor(acme, ['orders:read']);
    const query = await fetch(`${stack.apiUrl}/v1/orders?access_token=${key}&api_key=${key}`);
    assert.equal(query.status, 401, 'a key in the query string is no credential');
    assert.equal(query.headers.get('www-authenticate'), 'Bearer realm="passerelle"');
    const asBasic = await fetch(`${stack.apiUrl}/v1/orders`, { headers: { authorization: basic(acme.clientId, key) } });
    assert.equal(asBasic.status, 401, 'a key is not the client\'s secret');
    const atToken = await tokenRequest(stack, { clientId: acme.clientId, clientSecret: key });
    assert.equal(atToken.status, 401);
    assert.equal(((await atToken.json()) as { error: string }).error, 'invalid_client');
    const atAdmin = await fetch(`${stack.authUrl}/admin/v1/partners`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(atAdmin.status, 401, 'the admin API takes tokens only');
    assert.equal((await callApi(stack, '/v1/orders', key)).status, 200);
  });

  test('an expired key is refused', async () => {
    const { apiKey, key } = await keyFor(globex, ['orders:read'], { expiresAt: new Date(Date.now() + 3_600_000) });
    // Backdated in the database before its first use, so no process has it cached.
    await stack.db.prisma.apiKey.update({ where: { id: apiKey.id }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    await expectInvalid(await callApi(stack, '/v1/orders', key), /the API key has expired/);
    assert.equal((await stack.registry.getApiKey(apiKey.id)).status, 'expired');
  });

  test('a key of a disabled client, or of a disabled partner, is refused', async () => {
    const client = await registerClient(stack, ['orders:read']);
    const { key } = await keyFor(client, ['orders:read']);
    assert.equal((await callApi(stack, '/v1/orders', key)).status, 200);
    await stack.registry.setClientStatus(admin, client.clientId, 'disabled');
    await expectInvalid(await callApi(stack, '/v1/orders', key), /the client is not active/);

    const other = await registerClient(stack, ['orders:read']);
    const { key: otherKey } = await keyFor(other, ['orders:read']);
    assert.equal((await callApi(stack, '/v1/orders', otherKey)).status, 200);
    const partner = await stack.db.prisma.partner.findUniqueOrThrow({ where: { id: other.partnerId } });
    await stack.registry.setPartnerStatus(admin, partner.slug, 'disabled');
    await expectInvalid(await callApi(stack, '/v1/orders', otherKey), /the client is not active/);
  });

  test('a refused key is a security event with credential api_key, and the key is in no log, event or row', async () => {
    const { apiKey, key } = await keyFor(globex, ['orders:read']);
    await stack.registry.revokeApiKey(admin, apiKey.id);
    const res = await callApi(stack, '/v1/orders', key);
    assert.equal(res.status, 401);
    const requestId = res.headers.get('x-request-id');
    let event;
    for (let i = 0; i < 100 && !event; i += 1) {
      event = await stack.db.prisma.auditEvent.findFirst({ where: { requestId, action: 'auth.refused' } });
      if (!event) await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(event, 'the refusal was recorded');
    assert.equal(event.credential, 'api_key');
    assert.equal(event.actorId, globex.clientId);
    assert.equal(event.partnerId, globex.partnerId);

    const secretPart = key.slice(10);
    assert.ok(!JSON.stringify(stack.logs).includes(secretPart), 'no log line holds the key');
    const events = await stack.db.prisma.auditEvent.findMany();
    assert.ok(!JSON.stringify(events).includes(secretPart), 'no audit event holds the key');
    const keyRows = await stack.db.prisma.$queryRawUnsafe<unknown[]>('SELECT * FROM api_keys');
    assert.ok(!JSON.stringify(keyRows).includes(secretPart), 'no key row holds the key');
    const hash = hashApiKey(key);
    assert.ok(!JSON.stringify(events).includes(hash) && !JSON.stringify(stack.logs).includes(hash), 'nor its hash');
  });
});

describe('revoking an API key', () => {
  /** A second API process on the same database and Redis, as in a deployment with several. */
  let second: { url: string; service: ApiService; server: Server; store: Store | undefined };

  before(async () => {
    // Its own Redis connection; in embedded mode, the stack's one memory store.
    const redisUrl = process.env['REDIS_URL'];
    const own = redisUrl ? await openStore({ kind: 'redis', url: redisUrl, keyPrefix: stack.env['REDIS_KEY_PREFIX']! }) : undefined;
    const store = own ?? stack.store;
    const service = await createApiService({ config: loadApiConfig(stack.env), db: stack.db, store, log: createLogger({ name: 'api2', level: 'silent' }) });
    const server = createServer(service.callback);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    second = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, service, server, store: own };
  });
  after(async () => {
    await new Promise((resolve) => second.server.close(resolve));
    await second.service.close();
    await second.store?.close();
  });

  test('reaches every API process within a second, though each had the key cached', async () => {
    const { apiKey, key } = await keyFor(acme, ['orders:read']);
    const apis = [stack.apiUrl, second.url];
    const get = (api: string) => fetch(`${api}/v1/orders`, { headers: { authorization: `Bearer ${key}` } });
    for (const api of apis) assert.equal((await get(api)).status, 200, 'the key works, and is now cached');

    await stack.registry.revokeApiKey(admin, apiKey.id);
    const deadline = Date.now() + 1_000;
    const statuses = await Promise.all(apis.map(async (api) => {
      for (;;) {
        const res = await get(api);
        if (res.status !== 200 || Date.now() > deadline) return { status: res.status, challenge: res.headers.get('www-authenticate') };
        await new Promise((r) => setTimeout(r, 25));
      }
    }));
    for (const { status, challenge } of statuses) {
      assert.equal(status, 401, 'refused within a second of the revocation');
      assert.match(challenge ?? '', /the API key has been revoked/);
    }
  });
});

describe('the admin HTTP API for API keys', () => {
  test('creates (the key shown once), lists, shows and revokes, audited as the admin client', async () => {
    const http = await adminCaller(stack);
    const created = await http.call('POST', '/api-keys', { clientId: globex.clientId, name: 'from HTTP', scopes: ['orders:read'] });
    assert.equal(created.status, 201, created.text);
    assert.match(created.body.key, API_KEY_PATTERN);
    const id = created.body.apiKey.id as string;
    assert.equal((await callApi(stack, '/v1/orders', created.body.key)).status, 200);

    const listed = await http.call('GET', `/api-keys?clientId=${globex.clientId}&status=active`);
    assert.ok(listed.body.items.some((k: { id: string }) => k.id === id));
    assert.ok(!listed.text.includes(created.body.key.slice(10)));
    assert.equal((await http.call('GET', `/api-keys/${id}`)).body.prefix, created.body.key.slice(0, 10));

    const revoked = await http.call('POST', `/api-keys/${id}/revoke`);
    assert.equal(revoked.body.status, 'revoked');
    const events = await stack.db.prisma.auditEvent.findMany({ where: { targetId: id }, orderBy: { at: 'asc' } });
    assert.deepEqual(events.map((e) => [e.action, e.actorId, e.credential]), [
      ['api_key.create', http.client.clientId, 'bearer'], ['api_key.revoke', http.client.clientId, 'bearer'],
    ]);
  });

  test('refuses bad input with problem+json codes, and unknown ids with 404', async () => {
    const http = await adminCaller(stack);
    const tooMuch = await http.call('POST', '/api-keys', { clientId: globex.clientId, name: 'x', scopes: ['orders:write'] });
    assert.deepEqual([tooMuch.status, tooMuch.body.code], [400, 'scope_not_allowed']);
    const unknown = await http.call('POST', '/api-keys', { clientId: globex.clientId, name: 'x', scopes: ['orders:read'], key: 'psk_mine' });
    assert.deepEqual([unknown.status, unknown.body.code], [400, 'unknown_field']);
    assert.equal((await http.call('POST', '/api-keys/00000000-0000-4000-8000-000000000000/revoke')).status, 404);
  });
});

describe('usage', () => {
  test('the API counts each client\'s requests and rate-limit rejections, whatever the credential, for the Usage page', async () => {
    const client = await registerClient(stack, ['orders:read'], { dailyQuota: 3 });
    const { key } = await keyFor(client, ['orders:read']);
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await callApi(stack, '/v1/orders', key)).status);
    assert.deepEqual(statuses, [200, 200, 200, 429]);
    assert.equal((await callApi(stack, '/v1/orders', 'psk_not_a_key')).status, 401, 'a refused credential is not the client\'s usage');

    const usageFor = createUsageReader(stack.store, loadApiConfig(stack.env).rateTiers);
    const view = await stack.registry.getClient(client.clientId);
    const [usage] = await usageFor([view]);
    assert.deepEqual(usage!.today, { requests: 4, rejected: 1 });
    assert.ok(usage!.thisWeek.requests >= 4);
    assert.equal(usage!.dailyQuota, 3);
    assert.equal(usage!.quotaLeft, 0);
  });
});
