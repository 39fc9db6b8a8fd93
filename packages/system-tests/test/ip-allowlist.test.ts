// Per-client IP allowlists, enforced at the token endpoint (invalid_client, as
// for a wrong secret) and at the API (403 ip_not_allowed), over IPv4 and IPv6,
// with X-Forwarded-For ignored unless the connection comes from a trusted proxy.
// One stack listens on 127.0.0.1 without trusted proxies; the other on ::1,
// which it also trusts as its proxy, so that X-Forwarded-For can stand for
// partners' addresses.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SignJWT, importJWK } from 'jose';
import { loadKeyring } from '@passerelle/keys';
import { basic, callApi, registerClient, startStack, type Stack, type TestClient } from '../src/index.ts';

let direct: Stack;
let proxied: Stack;

before(async () => {
  [direct, proxied] = await Promise.all([
    startStack(),
    startStack({ host: '::1', env: { TRUSTED_PROXIES: '::1' } }),
  ]);
});
after(() => Promise.all([direct.close(), proxied.close()]));

async function clientWith(stack: Stack, ipAllowlist: string[]): Promise<TestClient> {
  const client = await registerClient(stack, ['partner:read']);
  await stack.db.prisma.client.update({ where: { clientId: client.clientId }, data: { ipAllowlist } });
  return client;
}

function requestToken(stack: Stack, client: TestClient, forwardedFor?: string): Promise<Response> {
  return fetch(`${stack.authUrl}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: basic(client.clientId, client.clientSecret),
      ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'partner:read' }),
  });
}

async function expectToken(res: Response): Promise<string> {
  const body = (await res.json()) as { access_token?: string };
  assert.equal(res.status, 200, JSON.stringify(body));
  return body.access_token!;
}

async function expectInvalidClient(res: Response): Promise<void> {
  assert.equal(res.status, 401);
  const body = (await res.json()) as { error: string; error_description: string };
  assert.equal(body.error, 'invalid_client');
  // the same answer as a wrong secret: nothing tells an outsider an allowlist is in play
  assert.equal(body.error_description, 'client authentication failed');
}

/** A token signed with the stack's real key, for a client that could not obtain one from here. */
async function tokenFor(stack: Stack, client: TestClient): Promise<string> {
  const keyring = await loadKeyring(stack.db.prisma, Buffer.from(stack.env['SIGNING_KEY_ENCRYPTION_KEY']!, 'base64url'));
  const jwk = keyring.privateJwks.keys[0]!;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ client_id: client.clientId, partner_id: client.partnerId, scope: 'partner:read', jti: `t-${Math.random()}` })
    .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: jwk.kid! })
    .setIssuer(stack.authUrl).setAudience(stack.apiUrl).setSubject(client.clientId)
    .setIssuedAt(now).setExpirationTime(now + 300)
    .sign(await importJWK(jwk, 'ES256'));
}

async function expectIpNotAllowed(res: Response): Promise<void> {
  assert.equal(res.status, 403);
  assert.equal(((await res.json()) as { code: string }).code, 'ip_not_allowed');
}

/** The security events recording this client's refusals for its address (the API writes them off the request path). */
async function refusals(stack: Stack, client: TestClient, expected = 1) {
  for (let tries = 0; ; tries += 1) {
    const events = (await stack.db.prisma.auditEvent.findMany({ where: { action: 'auth.refused', targetId: client.clientId }, orderBy: { at: 'asc' } }))
      .filter((e) => (e.diff as { reason?: string } | null)?.reason === 'ip_not_allowed');
    if (events.length >= expected || tries === 40) return events;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('without a trusted proxy (IPv4, 127.0.0.1)', () => {
  test('a client allowed from 127.0.0.0/8 gets a token and calls the API', async () => {
    const client = await clientWith(direct, ['192.0.2.0/24', '127.0.0.0/8']);
    const token = await expectToken(await requestToken(direct, client));
    assert.equal((await callApi(direct, '/v1/partners/me', token)).status, 200);
  });

  test('an empty allowlist means any address', async () => {
    const client = await clientWith(direct, []);
    const token = await expectToken(await requestToken(direct, client));
    assert.equal((await callApi(direct, '/v1/partners/me', token)).status, 200);
  });

  test('a client allowed only elsewhere is refused at the token endpoint, with the right secret, and it is recorded', async () => {
    const client = await clientWith(direct, ['203.0.113.0/24']);
    await expectInvalidClient(await requestToken(direct, client));
    const [event] = await refusals(direct, client);
    assert.equal(event?.ip, '127.0.0.1');
    assert.equal(event?.outcome, 'failure');
    assert.equal(event?.partnerId, client.partnerId);
  });

  test('a client allowed only elsewhere is refused at the API with 403 ip_not_allowed, and it is recorded', async () => {
    const client = await clientWith(direct, ['203.0.113.0/24']);
    await expectIpNotAllowed(await callApi(direct, '/v1/partners/me', await tokenFor(direct, client)));
    const events = await refusals(direct, client);
    assert.equal(events.length, 1);
    assert.equal(events[0]!.path, '/v1/partners/me');
    assert.equal(events[0]!.credential, 'bearer');
  });

  test('a spoofed X-Forwarded-For is ignored at both ends', async () => {
    const client = await clientWith(direct, ['203.0.113.0/24']);
    await expectInvalidClient(await requestToken(direct, client, '203.0.113.5'));
    const res = await callApi(direct, '/v1/partners/me', await tokenFor(direct, client), { headers: { 'x-forwarded-for': '203.0.113.5' } });
    await expectIpNotAllowed(res);
  });
});

describe('IPv6 (::1), trusted as the proxy', () => {
  test('a direct IPv6 caller inside the allowlist is served', async () => {
    const client = await clientWith(proxied, ['::1/128']);
    const token = await expectToken(await requestToken(proxied, client));
    assert.equal((await callApi(proxied, '/v1/partners/me', token)).status, 200);
  });

  test('a direct IPv6 caller outside the allowlist is refused at both ends', async () => {
    const client = await clientWith(proxied, ['2001:db8::/32', '127.0.0.1']);
    await expectInvalidClient(await requestToken(proxied, client));
    await expectIpNotAllowed(await callApi(proxied, '/v1/partners/me', await tokenFor(proxied, client)));
    const events = await refusals(proxied, client, 2);
    assert.deepEqual(events.map((e) => e.ip), ['::1', '::1']);
  });

  test('behind the proxy, IPv4 and IPv6 partners are allowed and refused by their forwarded address', async () => {
    const client = await clientWith(proxied, ['203.0.113.0/24', '2001:db8:42::/48']);
    for (const inside of ['203.0.113.9', '2001:db8:42::7', '::ffff:203.0.113.10']) {
      const token = await expectToken(await requestToken(proxied, client, inside));
      assert.equal((await callApi(proxied, '/v1/partners/me', token, { headers: { 'x-forwarded-for': inside } })).status, 200, inside);
    }
    const token = await tokenFor(proxied, client);
    for (const outside of ['198.51.100.9', '2001:db8:43::7']) {
      await expectInvalidClient(await requestToken(proxied, client, outside));
      await expectIpNotAllowed(await callApi(proxied, '/v1/partners/me', token, { headers: { 'x-forwarded-for': outside } }));
    }
  });

  test('a hop the partner prepends is not believed: the right-most untrusted hop is the client', async () => {
    const client = await clientWith(proxied, ['203.0.113.0/24']);
    const spoofed = '203.0.113.5, 198.51.100.9';
    await expectInvalidClient(await requestToken(proxied, client, spoofed));
    await expectIpNotAllowed(await callApi(proxied, '/v1/partners/me', await tokenFor(proxied, client), { headers: { 'x-forwarded-for': spoofed } }));
    const events = await refusals(proxied, client, 2);
    assert.equal(events.length, 2);
    assert.ok(events.every((e) => e.ip === '198.51.100.9'));
  });
});
