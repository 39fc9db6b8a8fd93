// Attacks on the partner portal's sign-in and session, over plain HTTP (a
// cookie-keeping user agent, no browser): login CSRF (a victim's browser made
// to finish the attacker's sign-in), session fixation, and a live session
// outliving what it stands for (the user's sign-in revoked at the auth
// service, the user's partner disabled).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { createRevocationWriter } from '@passerelle/revocation';
import { createUser, csrfOf, signIn as signInAtAuth, startStack, UserAgent, type Page, type Stack, type TestUser } from '../src/index.ts';

let stack: Stack;
let acme: { id: string; slug: string };
const system = { type: 'system' as const, id: 'test' };

before(async () => {
  stack = await startStack({ portal: true });
  const slug = `acme-${process.pid}`;
  acme = { id: (await stack.registry.createPartner(system, { slug, name: 'Acme' })).id, slug };
});

after(async () => {
  await stack?.close();
});

/** /login → the auth service's sign-in → back to the portal's callback URL, not yet visited. */
async function callbackOf(ua: UserAgent, user: TestUser): Promise<string> {
  const start = await ua.get(`${stack.portalUrl}/login`);
  assert.equal(start.status, 303);
  let page: Page = await ua.follow(await ua.get(start.location!), stack.authUrl);
  page = await ua.follow(await signInAtAuth(stack, ua, page, user), stack.authUrl);
  assert.ok(page.location?.startsWith(`${stack.portalUrl}/auth/callback?`), `back to the portal: ${page.status} ${page.location}`);
  return page.location!;
}

async function signedIn(user: TestUser): Promise<UserAgent> {
  const ua = new UserAgent();
  const back = await ua.get(await callbackOf(ua, user));
  assert.equal(back.status, 303);
  assert.equal(back.location, '/');
  return ua;
}

const credentials = () => `${stack.portalUrl}/partners/${acme.slug}/credentials`;

test('a victim\'s browser cannot be made to finish the attacker\'s sign-in (login CSRF)', async () => {
  const attacker = await createUser(stack, acme.id);
  const attackerCallback = await callbackOf(new UserAgent(), attacker);
  // the victim has started a sign-in of their own, and has not
  const victims = [new UserAgent(), new UserAgent()];
  await victims[0]!.get(`${stack.portalUrl}/login`);
  for (const victim of victims) {
    const res = await victim.get(attackerCallback);
    assert.equal(res.status, 400);
    assert.equal([...victim.cookies.keys()].includes('passerelle-portal'), false, 'no session');
  }
});

test('signing in replaces a session cookie planted before (no session fixation)', async () => {
  const user = await createUser(stack, acme.id);
  const ua = new UserAgent();
  ua.cookies.set('passerelle-portal', 'A'.repeat(43));
  await ua.get(await callbackOf(ua, user));
  assert.notEqual(ua.cookies.get('passerelle-portal'), 'A'.repeat(43));
  assert.equal((await ua.get(credentials())).status, 200);
});

test('a user revoked at the auth service (sign out everywhere, disable) loses the live portal session', async () => {
  const user = await createUser(stack, acme.id);
  const ua = await signedIn(user);
  assert.equal((await ua.get(credentials())).status, 200);
  await new Promise((resolve) => setTimeout(resolve, 1_000)); // "not before" counts in whole seconds
  // what the auth service writes first when it ends everything a user holds
  await createRevocationWriter(stack.store).revokeUser(user.id);
  let page = await ua.get(credentials());
  for (let tries = 0; tries < 20 && page.status === 200; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    page = await ua.get(credentials());
  }
  assert.equal(page.status, 303, 'the session has ended');
  assert.equal(page.location, '/login');
});

test('a member of a partner disabled while signed in can no longer act for it', async () => {
  const slug = `initech-${process.pid}`;
  const partner = await stack.registry.createPartner(system, { slug, name: 'Initech' });
  const user = await createUser(stack, partner.id);
  const ua = await signedIn(user);
  const list = await ua.get(`${stack.portalUrl}/partners/${slug}/credentials`);
  assert.equal(list.status, 200);
  const csrf = csrfOf(list);
  await stack.registry.setPartnerStatus(system, slug, 'disabled');
  assert.equal((await ua.get(`${stack.portalUrl}/partners/${slug}/credentials`)).status, 403);
  assert.equal((await ua.get(`${stack.portalUrl}/partners/${slug}/signing`)).status, 403);
  const created = await ua.post(`${stack.portalUrl}/partners/${slug}/credentials`, { csrf, name: 'After disable', scopes: 'orders:read' });
  assert.equal(created.status, 403);
  assert.equal((await stack.registry.listClients({ partner: slug })).items.length, 0);
});

test('a member cannot enable again a client an administrator disabled, only one a member disabled', async () => {
  const user = await createUser(stack, acme.id);
  const ua = await signedIn(user);
  const list = await ua.get(credentials());
  const csrf = csrfOf(list);
  const { client } = await stack.registry.createPartnerClient(system, acme.slug, { name: 'Suspended', scopes: ['orders:read'] });
  const action = (what: 'enable' | 'disable') => ua.post(`${credentials()}/${client.clientId}/${what}`, { csrf, confirm: 'yes' });
  assert.equal((await action('disable')).status, 200);
  assert.equal((await action('enable')).status, 200, 'their own disable, undone');
  await stack.registry.setClientStatus({ type: 'admin', id: 'admin-test' }, client.clientId, 'disabled');
  const refused = await action('enable');
  assert.equal(refused.status, 403);
  assert.match(refused.body, /administrator disabled this client/);
  assert.equal((await stack.registry.getClient(client.clientId)).status, 'disabled');
});

test('a role or partner change counts on the next request of a live session', async () => {
  const user = await createUser(stack, acme.id);
  const ua = await signedIn(user);
  assert.equal((await ua.get(`${stack.portalUrl}/partners`)).status, 404, 'a member has no admin area');
  await stack.db.prisma.user.update({ where: { id: user.id }, data: { role: 'admin' } });
  assert.equal((await ua.get(`${stack.portalUrl}/partners`)).status, 200, 'promoted');
  const moved = await stack.registry.createPartner(system, { slug: `hooli-${process.pid}`, name: 'Hooli' });
  await stack.db.prisma.user.update({ where: { id: user.id }, data: { role: 'member', partnerId: moved.id } });
  assert.equal((await ua.get(credentials())).status, 404, 'the former partner is out of reach');
  assert.equal((await ua.get(`${stack.portalUrl}/partners/${moved.slug}/credentials`)).status, 200);
});

test('sign-out needs the session\'s CSRF token; a forged one ends nothing', async () => {
  const user = await createUser(stack, acme.id);
  const ua = await signedIn(user);
  const csrf = csrfOf(await ua.get(credentials()));
  assert.equal((await ua.post(`${stack.portalUrl}/logout`, {})).status, 403);
  assert.equal((await ua.post(`${stack.portalUrl}/logout`, { csrf: 'x'.repeat(43) })).status, 403);
  assert.equal((await ua.get(credentials())).status, 200, 'still signed in');
  const out = await ua.post(`${stack.portalUrl}/logout`, { csrf });
  assert.equal(out.status, 303);
  assert.ok(out.location?.startsWith(`${stack.authUrl}/session/end?`), 'on to the auth service, and nowhere else');
  assert.equal(new URL(out.location!).searchParams.get('post_logout_redirect_uri'), `${stack.portalUrl}/signed-out`);
  assert.equal((await ua.get(credentials())).status, 303, 'signed out');
});

test('error pages carry the page headers and say nothing of the cause', async () => {
  const ua = await signedIn(await createUser(stack, acme.id));
  for (const [path, status] of [[`/partners/${acme.slug}/credentials/nope`, 404], [`/partners/${acme.slug}/audit?cursor=%00%27--`, 400], ['/auth/callback?state=x&code=y', 400]] as const) {
    const page = await ua.get(`${stack.portalUrl}${path}`);
    assert.equal(page.status, status, path);
    assert.match(page.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/, path);
    assert.equal(page.headers.get('cache-control'), 'no-store', path);
    assert.equal(page.headers.get('referrer-policy'), 'no-referrer', path);
    assert.doesNotMatch(page.body, /at \w+ \(|prisma|SELECT|node_modules|nope/i, path);
  }
});

test('forms take no field beyond their own: no admin scope, no other partner, no policy, no allowlist outside the bounds', async () => {
  const slug = `umbrella-${process.pid}`;
  const partner = await stack.registry.createPartner(system, { slug, name: 'Umbrella' });
  const ua = await signedIn(await createUser(stack, partner.id));
  const base = `${stack.portalUrl}/partners/${slug}`;
  const csrf = csrfOf(await ua.get(`${base}/credentials`));
  assert.equal((await ua.post(`${base}/credentials`, { csrf, name: 'Escalated', scopes: 'admin' })).status, 400);
  const created = await ua.post(`${base}/credentials`, {
    csrf, name: 'Plain', scopes: 'orders:read', partnerId: acme.id, partner: acme.slug, rateTier: 'premium', grantTypes: 'authorization_code', role: 'admin',
  });
  assert.equal(created.status, 201);
  const [client] = (await stack.registry.listClients({ partner: slug })).items;
  assert.ok(client);
  assert.equal(client.partnerId, partner.id);
  assert.equal(client.rateTier, 'standard');
  assert.deepEqual(client.grantTypes, ['client_credentials']);
  assert.equal((await stack.registry.listClients({ partner: acme.slug })).items.some((c) => c.name === 'Plain'), false);

  for (const scopes of ['admin', 'profile']) {
    const key = await ua.post(`${base}/api-keys`, { csrf, name: 'k', clientId: client.clientId, scopes });
    assert.equal(key.status, 400, scopes);
  }
  const otherPartnersClient = (await stack.registry.createPartnerClient(system, acme.slug, { name: 'Acme backend', scopes: ['orders:read'] })).client;
  assert.equal((await ua.post(`${base}/api-keys`, { csrf, name: 'k', clientId: otherPartnersClient.clientId, scopes: 'orders:read' })).status, 404);
  assert.equal((await stack.registry.listApiKeys({ clientId: otherPartnersClient.clientId })).items.length, 0);

  await stack.registry.updatePartner(system, slug, { ipAllowlistBounds: ['203.0.113.0/24'] });
  for (const entry of ['::ffff:0:0/96', '::ffff:203.0.113.0/104', '0.0.0.0/0', '::/0', '203.0.113.0/0', '', '203.0.113.0/24 198.51.100.1']) {
    const res = await ua.post(`${base}/credentials/${client.clientId}/ip-allowlist`, { csrf, ipAllowlist: entry });
    assert.equal(res.status, 400, `"${entry}"`);
  }
  assert.deepEqual((await stack.registry.getClient(client.clientId)).ipAllowlist, []);
  assert.equal((await ua.post(`${base}/credentials/${client.clientId}/ip-allowlist`, { csrf, ipAllowlist: '::ffff:203.0.113.0/120' })).status, 200);
});

test('the store holds the session under the cookie\'s hash, with no bearer token in it', async () => {
  const ua = await signedIn(await createUser(stack, acme.id));
  const handle = ua.cookies.get('passerelle-portal')!;
  assert.equal(await stack.store.kv.get(`portal:session:${handle}`), undefined, 'not under the cookie value itself');
  const stored = await stack.store.kv.get(`portal:session:${createHash('sha256').update(handle).digest('base64url')}`);
  assert.ok(stored);
  assert.deepEqual(Object.keys(JSON.parse(stored) as object).sort(), ['createdAt', 'id', 'idToken', 'userId'], 'the ID token (for the logout hint) and nothing that opens the API');
});

test('a member cannot reach a client of their partner that carries the admin scope (it would hand them the admin API)', async () => {
  const slug = `ops-${process.pid}`;
  const ops = await stack.registry.createPartner(system, { slug, name: 'Operations' });
  const { client: console } = await stack.registry.createClient(system, { partner: slug, name: 'admin console', scopes: ['admin'] });
  const secretHash = async () => (await stack.db.prisma.client.findUniqueOrThrow({ where: { clientId: console.clientId } })).secretHash;
  const before = await secretHash();
  const ua = await signedIn(await createUser(stack, ops.id));
  const base = `${stack.portalUrl}/partners/${slug}`;
  const list = await ua.get(`${base}/credentials`);
  assert.equal(list.status, 200);
  const csrf = csrfOf(list);
  for (const path of ['/credentials', '/signing', '/usage', '/api-keys']) {
    assert.doesNotMatch((await ua.get(`${base}${path}`)).body, new RegExp(console.clientId), `${path} does not list it`);
  }
  assert.equal((await ua.get(`${base}/credentials/${console.clientId}`)).status, 404);
  for (const action of ['rotate', 'disable', 'enable', 'end-grace', 'ip-allowlist']) {
    const res = await ua.post(`${base}/credentials/${console.clientId}/${action}`, { csrf, confirm: 'yes', graceSeconds: '0', ipAllowlist: '203.0.113.1' });
    assert.equal(res.status, 404, action);
    assert.doesNotMatch(res.body, /cs_[\w-]{20,}/, `${action} shows no secret`);
  }
  for (const path of [`/signing/${console.clientId}`, `/signing/${console.clientId}/rotate`]) {
    assert.equal((await ua.post(`${base}${path}`, { csrf, confirm: 'yes' })).status, 404, path);
  }
  assert.equal((await ua.post(`${base}/api-keys`, { csrf, name: 'k', clientId: console.clientId, scopes: 'orders:read' })).status, 404);
  assert.equal(await secretHash(), before, 'the secret is unchanged');
  const after = await stack.registry.getClient(console.clientId);
  assert.equal(after.status, 'active');
  assert.deepEqual(after.ipAllowlist, []);
});

test('an action is never taken on a GET, HEAD or another method than POST', async () => {
  const ua = await signedIn(await createUser(stack, acme.id));
  const { client } = await stack.registry.createPartnerClient(system, acme.slug, { name: 'Method confusion', scopes: ['orders:read'] });
  const actions = ['disable', 'rotate', 'end-grace'].map((a) => `${credentials()}/${client.clientId}/${a}?confirm=yes`);
  for (const method of ['GET', 'HEAD', 'PUT', 'DELETE', 'PATCH']) {
    for (const url of [...actions, `${stack.portalUrl}/logout`, `${stack.portalUrl}/partners/${acme.slug}/signing/${client.clientId}`]) {
      const res = await ua.request(url, { method });
      assert.equal(res.status, 404, `${method} ${url}`);
    }
  }
  const after = await stack.db.prisma.client.findUniqueOrThrow({ where: { clientId: client.clientId } });
  assert.equal(after.status, 'active');
  assert.equal(after.previousSecretHash, null, 'never rotated');
  assert.equal((await ua.get(credentials())).status, 200, 'still signed in');
});
