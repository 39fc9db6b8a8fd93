// The admin HTTP API end to end: an admin client of the stack's own auth
// service manages partners and clients through /admin/v1, every refusal has its
// documented code, only admin-scoped tokens of this server get in, disabling a
// client ends its tokens at the API, and no response ever carries a secret hash.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { adminCaller, callApi, getToken, registerClient, startStack, tokenRequest, type AdminCaller, type Stack } from '../src/index.ts';

let stack: Stack;
let admin: AdminCaller;
const seen: string[] = [];
/** Every consumer-secret this file was given, to look for in logs and the database. */
const issued: string[] = [];

before(async () => {
  stack = await startStack();
  // Every response body this file receives is kept, to check none carries a hash.
  admin = await adminCaller(stack, (answer) => {
    seen.push(answer.text);
    if (typeof answer.body?.consumerSecret === 'string') issued.push(answer.body.consumerSecret);
  });
});
after(() => stack.close());

let counter = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${++counter}`;

async function newPartner() {
  const slug = unique('acme');
  const res = await admin.call('POST', '/partners', { slug, name: `Acme ${slug}` });
  assert.equal(res.status, 201);
  return slug;
}

async function newClient(partner: string, extra: Record<string, unknown> = {}) {
  const res = await admin.call('POST', '/clients', { partner, name: unique('backend'), scopes: ['partner:read'], ...extra });
  assert.equal(res.status, 201, res.text);
  return res.body as { client: { clientId: string; name: string }; consumerKey: string; consumerSecret: string };
}

async function waitUntil(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('who may call the admin API', () => {
  test('no token is 401 with a bare Bearer challenge', async () => {
    const res = await fetch(`${stack.authUrl}/admin/v1/partners`);
    assert.equal(res.status, 401);
    assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer realm="passerelle-admin"$/);
    assert.equal(res.headers.get('content-type'), 'application/problem+json');
    assert.equal(((await res.json()) as { code: string }).code, 'authentication_required');
  });

  test('a token of this server without the admin scope is 403 insufficient_scope', async () => {
    const partner = await registerClient(stack, ['partner:read']);
    const token = await getToken(stack, partner, 'partner:read');
    const res = await admin.call('GET', '/partners', undefined, token);
    assert.equal(res.status, 403);
    assert.equal(res.body.code, 'insufficient_scope');
    assert.match(res.headers.get('www-authenticate') ?? '', /error="insufficient_scope", scope="admin"/);
    // a genuine token knocking on the admin door is a security event
    assert.ok(await waitUntil(async () => (await stack.db.prisma.auditEvent.count({
      where: { action: 'admin.denied', actorId: partner.clientId, outcome: 'failure', diff: { equals: { reason: 'insufficient_scope' } } },
    })) === 1, 2000));
  });

  test('a token claiming the admin scope but signed by another key is 401', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk = await exportJWK(publicKey);
    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({ client_id: admin.client.clientId, scope: 'admin', jti: 'forged' })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: jwk.kid ?? 'other' })
      .setIssuer(stack.authUrl).setAudience(stack.apiUrl).setSubject(admin.client.clientId).setIssuedAt(now).setExpirationTime(now + 300)
      .sign(privateKey);
    const res = await admin.call('GET', '/partners', undefined, forged);
    assert.equal(res.status, 401);
    assert.equal(res.body.code, 'invalid_token');
  });

  test('the admin client disabled: its token stops working at once', async () => {
    const other = await adminCaller(stack);
    assert.equal((await other.call('GET', '/partners')).status, 200);
    assert.equal((await admin.call('POST', `/clients/${other.client.clientId}/disable`)).status, 200);
    const res = await other.call('GET', '/partners');
    assert.equal(res.status, 401);
    assert.equal(res.body.code, 'invalid_token');
  });

  test('an admin token used from outside its client\'s IP allowlist is 403 ip_not_allowed, and recorded', async () => {
    const other = await adminCaller(stack);
    assert.equal((await other.call('GET', '/partners')).status, 200);
    assert.equal((await admin.call('PATCH', `/clients/${other.client.clientId}`, { ipAllowlist: ['203.0.113.0/24', '2001:db8::/32'] })).status, 200);
    const outside = await other.call('GET', '/partners');
    assert.equal(outside.status, 403);
    assert.equal(outside.body.code, 'ip_not_allowed');
    // a forwarded address is not believed without a trusted proxy
    const spoofed = await fetch(`${stack.authUrl}/admin/v1/partners`, { headers: { authorization: `Bearer ${other.token}`, 'x-forwarded-for': '203.0.113.9' } });
    assert.equal(spoofed.status, 403);
    assert.ok(await waitUntil(async () => (await stack.db.prisma.auditEvent.count({
      where: { action: 'admin.denied', actorId: other.client.clientId, diff: { equals: { reason: 'ip_not_allowed' } } },
    })) >= 1, 2000));
    assert.equal((await admin.call('PATCH', `/clients/${other.client.clientId}`, { ipAllowlist: ['127.0.0.0/8'] })).status, 200);
    assert.equal((await other.call('GET', '/partners')).status, 200);
  });

  test('an unknown admin path is 404 problem+json, a wrong method 405', async () => {
    assert.equal((await admin.call('GET', '/nothing-here')).body.code, 'not_found');
    const res = await admin.call('PUT', '/partners');
    assert.equal(res.status, 405);
    assert.equal(res.body.code, 'method_not_allowed');
  });

  test('a body that is not JSON is 415', async () => {
    const res = await fetch(`${stack.authUrl}/admin/v1/partners`, {
      method: 'POST', headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'slug=x&name=y',
    });
    assert.equal(res.status, 415);
  });
});

describe('partners', () => {
  test('create, show, list, rename, disable and enable', async () => {
    const slug = await newPartner();
    const shown = await admin.call('GET', `/partners/${slug}`);
    assert.equal(shown.status, 200);
    assert.equal(shown.body.slug, slug);
    assert.equal(shown.headers.get('cache-control'), 'no-store');

    const renamed = await admin.call('PATCH', `/partners/${slug}`, { name: 'Acme Renamed' });
    assert.equal(renamed.body.name, 'Acme Renamed');

    const disabled = await admin.call('POST', `/partners/${slug}/disable`);
    assert.equal(disabled.body.status, 'disabled');
    const listed = await admin.call('GET', '/partners?status=disabled&limit=200');
    assert.ok(listed.body.items.some((p: { slug: string }) => p.slug === slug));
    assert.equal((await admin.call('POST', `/partners/${slug}/enable`)).body.status, 'active');
  });

  test('disabling a partner stops its clients at the token endpoint and the API', async () => {
    const slug = await newPartner();
    const { consumerKey, consumerSecret } = await newClient(slug);
    const token = await getToken(stack, { clientId: consumerKey, clientSecret: consumerSecret }, 'partner:read');
    assert.equal((await callApi(stack, '/v1/partners/me', token)).status, 200);
    await admin.call('POST', `/partners/${slug}/disable`);
    assert.equal((await tokenRequest(stack, { clientId: consumerKey, clientSecret: consumerSecret }, { scope: 'partner:read' })).status, 401);
    assert.ok(await waitUntil(async () => (await callApi(stack, '/v1/partners/me', token)).status === 401, 1000));
  });

  test('a duplicate slug is 409, a missing partner 404, a bad slug or unknown field 400', async () => {
    const slug = await newPartner();
    assert.equal((await admin.call('POST', '/partners', { slug, name: 'again' })).body.code, 'conflict');
    assert.equal((await admin.call('GET', '/partners/no-such-partner')).status, 404);
    assert.equal((await admin.call('PATCH', '/partners/no-such-partner', { name: 'x' })).status, 404);
    assert.equal((await admin.call('POST', '/partners', { slug: 'Bad Slug!', name: 'x' })).body.code, 'validation_failed');
    const unknown = await admin.call('POST', '/partners', { slug: unique('p'), name: 'x', owner: 'me' });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.code, 'unknown_field');
    assert.equal((await admin.call('PATCH', `/partners/${slug}`, { slug: 'renamed' })).body.code, 'unknown_field');
  });
});

describe('clients', () => {
  test('create returns the consumer-key and secret once; nothing else ever shows the secret', async () => {
    const slug = await newPartner();
    const created = await newClient(slug, { ipAllowlist: ['203.0.113.0/24', '2001:DB8::/32', '198.51.100.7'] });
    assert.match(created.consumerKey, /^ck_/);
    assert.match(created.consumerSecret, /^cs_/);
    assert.equal(created.client.clientId, created.consumerKey);
    assert.deepEqual((created.client as unknown as { ipAllowlist: string[] }).ipAllowlist, ['203.0.113.0/24', '2001:db8::/32', '198.51.100.7/32']);
    const shown = await admin.call('GET', `/clients/${created.consumerKey}`);
    assert.equal(shown.status, 200);
    assert.ok(!shown.text.includes(created.consumerSecret));
    assert.equal(shown.body.consumerSecret, undefined);
    // the secret really works, once the caller's address is allowed (the test calls from loopback)
    const credentials = { clientId: created.consumerKey, clientSecret: created.consumerSecret };
    assert.equal((await tokenRequest(stack, credentials, { scope: 'partner:read' })).status, 401);
    assert.equal((await admin.call('PATCH', `/clients/${created.consumerKey}`, { ipAllowlist: [] })).status, 200);
    assert.equal((await tokenRequest(stack, credentials, { scope: 'partner:read' })).status, 200);
  });

  test('update changes every documented field, and a field left out keeps its value', async () => {
    const slug = await newPartner();
    const { consumerKey } = await newClient(slug);
    const changes = {
      name: unique('renamed'), scopes: ['partner:read', 'orders:read'], grantTypes: ['client_credentials', 'authorization_code'],
      redirectUris: ['https://app.example/cb', 'http://127.0.0.1:8080/cb'], basicAuthFallback: true, signaturePolicy: 'all',
      rateTier: 'premium', dailyQuota: 5000, ipAllowlist: ['10.0.0.0/8', '::1'],
    };
    const res = await admin.call('PATCH', `/clients/${consumerKey}`, changes);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.name, changes.name);
    assert.deepEqual(res.body.allowedScopes, changes.scopes);
    assert.deepEqual(res.body.grantTypes, changes.grantTypes);
    assert.deepEqual(res.body.redirectUris, changes.redirectUris);
    assert.equal(res.body.basicAuthFallback, true);
    assert.equal(res.body.signaturePolicy, 'all');
    assert.equal(res.body.rateTier, 'premium');
    assert.equal(res.body.dailyQuota, 5000);
    assert.deepEqual(res.body.ipAllowlist, ['10.0.0.0/8', '::1/128']);
    const again = await admin.call('PATCH', `/clients/${consumerKey}`, { dailyQuota: null });
    assert.equal(again.body.dailyQuota, null);
    assert.equal(again.body.rateTier, 'premium');
  });

  test('list filters by partner, status, name and scope, with cursor pages', async () => {
    const slug = await newPartner();
    const made = [];
    for (let i = 0; i < 5; i += 1) made.push(await newClient(slug, i === 0 ? { scopes: ['orders:read'] } : {}));
    await admin.call('POST', `/clients/${made[1]!.consumerKey}/disable`);

    const keys: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await admin.call('GET', `/clients?partner=${slug}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(page.status, 200);
      assert.ok(page.body.items.length <= 2);
      keys.push(...page.body.items.map((c: { clientId: string }) => c.clientId));
      cursor = page.body.nextCursor;
    } while (cursor);
    assert.deepEqual(keys, made.map((m) => m.consumerKey));

    const disabled = await admin.call('GET', `/clients?partner=${slug}&status=disabled`);
    assert.deepEqual(disabled.body.items.map((c: { clientId: string }) => c.clientId), [made[1]!.consumerKey]);
    const byScope = await admin.call('GET', `/clients?partner=${slug}&scope=orders:read`);
    assert.deepEqual(byScope.body.items.map((c: { clientId: string }) => c.clientId), [made[0]!.consumerKey]);
    const byName = await admin.call('GET', `/clients?name=${encodeURIComponent(made[2]!.client.name.toUpperCase())}`);
    assert.deepEqual(byName.body.items.map((c: { clientId: string }) => c.clientId), [made[2]!.consumerKey]);
    assert.equal((await admin.call('GET', '/clients?cursor=garbage')).body.code, 'validation_failed');
    assert.equal((await admin.call('GET', '/clients?partner=no-such-partner')).status, 404);
    assert.equal((await admin.call('GET', '/clients?owner=x')).body.code, 'unknown_field');
  });

  test('each kind of bad input is refused with its documented code', async () => {
    const slug = await newPartner();
    const { consumerKey } = await newClient(slug);
    const base = { partner: slug, name: unique('bad'), scopes: ['partner:read'] };
    const cases: [string, Record<string, unknown>, string][] = [
      ['http redirect', { ...base, grantTypes: ['authorization_code'], redirectUris: ['http://app.example/cb'] }, 'invalid_redirect_uri'],
      ['redirect with fragment', { ...base, grantTypes: ['authorization_code'], redirectUris: ['https://app.example/cb#x'] }, 'invalid_redirect_uri'],
      ['javascript: redirect', { ...base, redirectUris: ['javascript:alert(1)'] }, 'invalid_redirect_uri'],
      ['unknown scope', { ...base, scopes: ['partner:read', 'root'] }, 'unknown_scope'],
      ['bad IPv4 CIDR', { ...base, ipAllowlist: ['10.0.0.0/33'] }, 'invalid_cidr'],
      ['bad IPv4 address', { ...base, ipAllowlist: ['300.1.1.1/8'] }, 'invalid_cidr'],
      ['bad IPv6 CIDR', { ...base, ipAllowlist: ['2001:db8::/129'] }, 'invalid_cidr'],
      ['not an address', { ...base, ipAllowlist: ['example.com'] }, 'invalid_cidr'],
      ['unknown field', { ...base, admin: true }, 'unknown_field'],
      ['code grant without redirect', { ...base, grantTypes: ['authorization_code'] }, 'validation_failed'],
      ['SQL in a name', { ...base, name: "x'; DROP TABLE clients; --\u0000" }, 'validation_failed'],
    ];
    for (const [label, input, code] of cases) {
      const res = await admin.call('POST', '/clients', input);
      assert.equal(res.status, 400, label);
      assert.equal(res.body.code, code, label);
      assert.ok(Array.isArray(res.body.errors), label);
    }
    assert.equal((await admin.call('PATCH', `/clients/${consumerKey}`, { redirectUris: ['ftp://x'] })).body.code, 'invalid_redirect_uri');
    assert.equal((await admin.call('PATCH', `/clients/${consumerKey}`, { scopes: ['superuser'] })).body.code, 'unknown_scope');
    assert.equal((await admin.call('PATCH', `/clients/${consumerKey}`, { ipAllowlist: ['1.2.3.4/-1'] })).body.code, 'invalid_cidr');
    assert.equal((await admin.call('PATCH', `/clients/${consumerKey}`, { secretHash: 'x' })).body.code, 'unknown_field');
    assert.equal((await admin.call('POST', `/clients/${consumerKey}/rotate-secret`, { graceSeconds: -1 })).body.code, 'grace_out_of_range');
    assert.equal((await admin.call('POST', `/clients/${consumerKey}/rotate-secret`, { graceSeconds: 31 * 86_400 })).body.code, 'grace_out_of_range');
    assert.equal((await admin.call('POST', `/clients/${consumerKey}/rotate-secret`, { graceSeconds: 1.5 })).body.code, 'grace_out_of_range');
    // the loopback exception
    const loopback = await admin.call('POST', '/clients', { ...base, name: unique('loop'), grantTypes: ['authorization_code'], redirectUris: ['http://localhost:3000/cb', 'http://[::1]/cb'] });
    assert.equal(loopback.status, 201, loopback.text);
  });

  test('a duplicate name within a partner is 409; a missing client is 404 on every operation', async () => {
    const slug = await newPartner();
    const { client } = await newClient(slug);
    assert.equal((await admin.call('POST', '/clients', { partner: slug, name: client.name, scopes: ['partner:read'] })).status, 409);
    const { consumerKey } = await newClient(slug);
    assert.equal((await admin.call('PATCH', `/clients/${consumerKey}`, { name: client.name })).status, 409);
    assert.equal((await admin.call('POST', '/clients', { partner: 'no-such-partner', name: 'x', scopes: ['partner:read'] })).status, 404);
    for (const [method, path] of [
      ['GET', ''], ['PATCH', ''], ['DELETE', ''], ['POST', '/disable'], ['POST', '/enable'], ['POST', '/rotate-secret'], ['POST', '/end-secret-grace'],
    ] as const) {
      const res = await admin.call(method, `/clients/ck_missing${path}`, method === 'PATCH' ? { name: 'x' } : undefined);
      assert.equal(res.status, 404, `${method} ${path}`);
      assert.equal(res.body.code, 'not_found');
    }
  });

  test('disable: tokens already issued are refused by the API within a second, and the token endpoint refuses the client', async () => {
    const slug = await newPartner();
    const { consumerKey, consumerSecret } = await newClient(slug);
    const partner = { clientId: consumerKey, clientSecret: consumerSecret };
    const token = await getToken(stack, { clientId: consumerKey, clientSecret: consumerSecret }, 'partner:read');
    assert.equal((await callApi(stack, '/v1/partners/me', token)).status, 200);

    const res = await admin.call('POST', `/clients/${consumerKey}/disable`);
    assert.equal(res.body.status, 'disabled');
    assert.ok(await waitUntil(async () => (await callApi(stack, '/v1/partners/me', token)).status === 401, 1000), 'the API refused the token within 1 s');
    assert.equal((await tokenRequest(stack, partner, { scope: 'partner:read' })).status, 401);

    // enabled again: new tokens work (after the revoked second), the old one stays revoked
    assert.equal((await admin.call('POST', `/clients/${consumerKey}/enable`)).body.status, 'active');
    await new Promise((r) => setTimeout(r, 1100));
    const fresh = await getToken(stack, { clientId: consumerKey, clientSecret: consumerSecret }, 'partner:read');
    assert.equal((await callApi(stack, '/v1/partners/me', fresh)).status, 200);
    assert.equal((await callApi(stack, '/v1/partners/me', token)).status, 401);
  });

  test('delete: 204, then 404, and the client can no longer get tokens', async () => {
    const slug = await newPartner();
    const { consumerKey, consumerSecret } = await newClient(slug);
    const token = await getToken(stack, { clientId: consumerKey, clientSecret: consumerSecret }, 'partner:read');
    const res = await admin.call('DELETE', `/clients/${consumerKey}`);
    assert.equal(res.status, 204);
    assert.equal((await admin.call('GET', `/clients/${consumerKey}`)).status, 404);
    assert.equal((await tokenRequest(stack, { clientId: consumerKey, clientSecret: consumerSecret }, { scope: 'partner:read' })).status, 401);
    assert.ok(await waitUntil(async () => (await callApi(stack, '/v1/partners/me', token)).status === 401, 1000));
  });

  test('rotate with a grace: both secrets work; cutting the grace short stops the old one and its tokens', async () => {
    const slug = await newPartner();
    const { consumerKey, consumerSecret: oldSecret } = await newClient(slug);
    const oldToken = await getToken(stack, { clientId: consumerKey, clientSecret: oldSecret }, 'partner:read');

    const rotated = await admin.call('POST', `/clients/${consumerKey}/rotate-secret`, { graceSeconds: 3600 });
    assert.equal(rotated.status, 200, rotated.text);
    const newSecret = rotated.body.consumerSecret as string;
    assert.match(newSecret, /^cs_/);
    assert.notEqual(newSecret, oldSecret);
    assert.ok(Math.abs(Date.parse(rotated.body.graceEndsAt) - (Date.now() + 3_600_000)) < 60_000);
    assert.equal(rotated.body.client.secretGraceEndsAt, rotated.body.graceEndsAt);

    for (const secret of [oldSecret, newSecret]) {
      assert.equal((await tokenRequest(stack, { clientId: consumerKey, clientSecret: secret }, { scope: 'partner:read' })).status, 200);
    }
    assert.equal((await callApi(stack, '/v1/partners/me', oldToken)).status, 200);
    // a second rotation with a grace while one runs is refused
    assert.equal((await admin.call('POST', `/clients/${consumerKey}/rotate-secret`, { graceSeconds: 60 })).status, 409);

    const ended = await admin.call('POST', `/clients/${consumerKey}/end-secret-grace`);
    assert.equal(ended.status, 200);
    assert.equal(ended.body.secretGraceEndsAt, null);
    assert.equal((await tokenRequest(stack, { clientId: consumerKey, clientSecret: oldSecret }, { scope: 'partner:read' })).status, 401);
    assert.ok(await waitUntil(async () => (await callApi(stack, '/v1/partners/me', oldToken)).status === 401, 1000));
    await new Promise((r) => setTimeout(r, 1100));
    assert.equal((await tokenRequest(stack, { clientId: consumerKey, clientSecret: newSecret }, { scope: 'partner:read' })).status, 200);
    assert.equal((await admin.call('POST', `/clients/${consumerKey}/end-secret-grace`)).status, 409);
  });

  test('rotate with grace 0: the old secret stops at once', async () => {
    const slug = await newPartner();
    const { consumerKey, consumerSecret: oldSecret } = await newClient(slug);
    const rotated = await admin.call('POST', `/clients/${consumerKey}/rotate-secret`, { graceSeconds: 0 });
    assert.equal(rotated.body.graceEndsAt, null);
    assert.equal((await tokenRequest(stack, { clientId: consumerKey, clientSecret: oldSecret }, { scope: 'partner:read' })).status, 401);
  });
});

describe('audit', () => {
  test('a client lifecycle leaves a trail of diffs, none holding a secret, visible through list filters and export', async () => {
    const slug = await newPartner();
    const { consumerKey, consumerSecret } = await newClient(slug);
    await admin.call('PATCH', `/clients/${consumerKey}`, { rateTier: 'basic', signaturePolicy: 'off' });
    const rotated = await admin.call('POST', `/clients/${consumerKey}/rotate-secret`, { graceSeconds: 60 });
    await admin.call('POST', `/clients/${consumerKey}/disable`);
    await admin.call('DELETE', `/clients/${consumerKey}`);

    const listed = await admin.call('GET', `/audit-events?client=${consumerKey}`);
    assert.equal(listed.status, 200);
    const actions = listed.body.items.map((e: { action: string }) => e.action).reverse();
    assert.deepEqual(actions, ['client.create', 'client.update', 'client.secret.rotate', 'client.disable', 'client.delete']);
    for (const event of listed.body.items) {
      assert.equal(event.actorType, 'admin');
      assert.equal(event.actorId, admin.client.clientId);
      assert.equal(event.credential, 'bearer');
      assert.equal(event.targetId, consumerKey);
      assert.ok(event.requestId);
    }
    const update = listed.body.items.find((e: { action: string }) => e.action === 'client.update');
    assert.deepEqual(update.diff, { before: { rateTier: 'standard', signaturePolicy: 'writes' }, after: { rateTier: 'basic', signaturePolicy: 'off' } });

    const rows = await stack.db.prisma.auditEvent.findMany({ where: { targetId: consumerKey } });
    const stored = JSON.stringify(rows);
    for (const secret of [consumerSecret, rotated.body.consumerSecret]) assert.ok(!stored.includes(secret));
    assert.ok(!/sha256:|secretHash|previousSecretHash/.test(stored), 'no hash in any diff');

    const filtered = await admin.call('GET', `/audit-events?client=${consumerKey}&action=client.secret.*`);
    assert.deepEqual(filtered.body.items.map((e: { action: string }) => e.action), ['client.secret.rotate']);
    const byActor = await admin.call('GET', `/audit-events?actor=${admin.client.clientId}&action=client.delete&limit=200`);
    assert.ok(byActor.body.items.some((e: { targetId: string }) => e.targetId === consumerKey));
    const future = await admin.call('GET', `/audit-events?client=${consumerKey}&from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`);
    assert.deepEqual(future.body.items, []);
    assert.equal((await admin.call('GET', '/audit-events?from=yesterday')).body.code, 'validation_failed');

    const page1 = await admin.call('GET', `/audit-events?client=${consumerKey}&limit=3`);
    const page2 = await admin.call('GET', `/audit-events?client=${consumerKey}&limit=3&cursor=${page1.body.nextCursor}`);
    assert.deepEqual([...page1.body.items, ...page2.body.items].map((e: { id: string }) => e.id), listed.body.items.map((e: { id: string }) => e.id));
    assert.equal(page2.body.nextCursor, undefined);

    const exported = await fetch(`${stack.authUrl}/admin/v1/audit-events/export?client=${consumerKey}`, { headers: { authorization: `Bearer ${admin.token}` } });
    assert.equal(exported.status, 200);
    assert.match(exported.headers.get('content-type') ?? '', /^application\/x-ndjson/);
    const lines = (await exported.text()).trim().split('\n').map((l) => JSON.parse(l) as { action: string });
    assert.deepEqual(lines.map((l) => l.action), actions);
  });

  test('the export validates its filter before streaming', async () => {
    const res = await admin.call('GET', '/audit-events/export?action=DROP TABLE');
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 'validation_failed');
    // An unknown partner is found out before streaming too: a 404 in the envelope, not a cut stream.
    const unknown = await admin.call('GET', '/audit-events/export?partner=no-such-partner');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, 'not_found');
  });

  test('no secret issued in this file reached a log line or an audit row, and no hash did either', async () => {
    assert.ok(issued.length > 10, String(issued.length));
    const logs = JSON.stringify(stack.logs);
    const audit = JSON.stringify(await stack.db.prisma.auditEvent.findMany());
    for (const secret of issued) {
      assert.ok(!logs.includes(secret), 'a secret in the logs');
      assert.ok(!audit.includes(secret), 'a secret in the audit trail');
    }
    assert.ok(!/sha256:/.test(logs) && !/sha256:/.test(audit));
  });

  test('no admin response in this file carried a secret hash', () => {
    assert.ok(seen.length > 20);
    for (const text of seen) assert.ok(!/sha256:|"(previousS|s)ecretHash"\s*:/.test(text), text);
  });
});
