// The domain rules behind the partner portal, on a real database: what a
// partner's own users may do (registry self-service), the partner filter of
// the audit trail, and the first-party client the portal registers for itself.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openDatabase, type Database } from '@passerelle/db';
import { isProblem } from '@passerelle/errors';
import { createRegistry, FIRST_PARTY_PARTNER, verifySecret, type Registry } from '@passerelle/registry';
import { createTestDatabase, type TestDatabase } from '../src/index.ts';

let database: TestDatabase;
let db: Database;
let registry: Registry;
const admin = { type: 'admin' as const, id: 'admin-test' };
const member = { type: 'user' as const, id: 'member-test', credential: 'session' };

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (isProblem(err)) return err.code;
    throw err;
  }
  return 'accepted';
}

before(async () => {
  database = await createTestDatabase();
  db = await openDatabase(database.target, { migrate: true });
  registry = createRegistry(db.prisma, { revokeClient: async () => {} });
  await registry.createPartner(admin, { slug: 'acme', name: 'Acme' });
  await registry.createPartner(admin, { slug: 'globex', name: 'Globex' });
});

after(async () => {
  await db?.close();
  await database?.drop();
});

test('a partner\'s own client gets partner scopes only, never admin, and the default policy', async () => {
  assert.equal(await refusal(registry.createPartnerClient(member, 'acme', { name: 'Sneaky', scopes: ['admin'] as never })), 'unknown_scope');
  const { client } = await registry.createPartnerClient(member, 'acme', { name: 'Backend', scopes: ['orders:read'] });
  assert.deepEqual(client.allowedScopes, ['orders:read']);
  assert.deepEqual(client.grantTypes, ['client_credentials']);
  assert.equal(client.signaturePolicy, 'writes');
  assert.equal(client.basicAuthFallback, false);
  assert.equal(await refusal(registry.createPartnerClient(member, 'acme', { name: 'Extra', scopes: ['orders:read'], rateTier: 'premium' } as never)), 'unknown_field');
});

test('another partner\'s client is not found through a partner\'s scope', async () => {
  const { client } = await registry.createPartnerClient(member, 'globex', { name: 'Globex backend', scopes: ['orders:read'] });
  assert.equal(await refusal(registry.getPartnerClient('acme', client.clientId)), 'not_found');
  assert.equal(await refusal(registry.setPartnerClientIpAllowlist(member, 'acme', client.clientId, ['203.0.113.0/24'], true)), 'not_found');
  assert.equal((await registry.getPartnerClient('globex', client.clientId)).clientId, client.clientId);
});

test('a member sets an IP allowlist only within the partner\'s bounds; an admin is not bound', async () => {
  const { client } = await registry.createPartnerClient(member, 'acme', { name: 'Bounded', scopes: ['orders:read'] });
  const set = (entries: string[], bounded = true) => registry.setPartnerClientIpAllowlist(bounded ? member : admin, 'acme', client.clientId, entries, bounded);
  assert.deepEqual((await set(['198.51.100.0/24'])).ipAllowlist, ['198.51.100.0/24'], 'no bounds: anything');
  await registry.updatePartner(admin, 'acme', { ipAllowlistBounds: ['203.0.113.0/24', '2001:db8::/32'] });
  assert.equal(await refusal(set(['198.51.100.0/24'])), 'ip_outside_bounds');
  assert.equal(await refusal(set(['203.0.112.0/23'])), 'ip_outside_bounds', 'wider than the bound');
  assert.equal(await refusal(set([])), 'ip_outside_bounds', 'empty means anywhere');
  assert.equal(await refusal(set(['not-an-ip'])), 'invalid_cidr');
  assert.deepEqual((await set(['203.0.113.7', '2001:db8:5::/48'])).ipAllowlist, ['203.0.113.7/32', '2001:db8:5::/48']);
  assert.deepEqual((await set([], false)).ipAllowlist, [], 'an admin may clear it');
  assert.equal(await refusal(registry.updatePartner(admin, 'acme', { ipAllowlistBounds: ['nope'] })), 'invalid_cidr');
});

test('the audit trail filtered by partner holds that partner\'s events only', async () => {
  const acme = await registry.listAuditEvents({ partner: 'acme', limit: 200 });
  const acmeId = (await registry.getPartner('acme')).id;
  assert.ok(acme.items.length >= 3);
  assert.ok(acme.items.every((e) => e.partnerId === acmeId));
  assert.ok(acme.items.some((e) => e.action === 'client.create' && e.actorId === member.id));
  assert.equal(await refusal(registry.listAuditEvents({ partner: 'nobody' })), 'not_found');
});

test('the portal registers its own client once, updates it on change, and the reserved partner takes no other client', async () => {
  const wanted = { clientId: 'passerelle-portal', name: 'Portal', secret: 's'.repeat(43), redirectUris: ['https://portal.example/auth/callback'] };
  await registry.registerFirstPartyClient(wanted);
  await registry.registerFirstPartyClient(wanted);
  const events = () => registry.listAuditEvents({ client: 'passerelle-portal' }).then((p) => p.items.map((e) => e.action));
  assert.deepEqual(await events(), ['client.create'], 'a start that changes nothing writes nothing');
  const stored = await db.prisma.client.findUniqueOrThrow({ where: { clientId: 'passerelle-portal' } });
  assert.ok(verifySecret(wanted.secret, stored.secretHash));
  assert.deepEqual(stored.grantTypes, ['authorization_code']);

  await registry.registerFirstPartyClient({ ...wanted, secret: 't'.repeat(43) });
  assert.deepEqual(await events(), ['client.update', 'client.create']);
  const partner = await registry.getPartner(FIRST_PARTY_PARTNER.slug);
  assert.equal(await registry.isFirstPartyPartner(partner.id), true);
  assert.equal(await registry.isFirstPartyPartner((await registry.getPartner('acme')).id), false);
  assert.equal(await refusal(registry.createClient(admin, { partner: FIRST_PARTY_PARTNER.slug, name: 'Impostor', scopes: ['orders:read'] })), 'forbidden');
});
