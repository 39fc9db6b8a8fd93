// Client-credentials end to end: a partner gets a JWT access token from the auth
// service and calls the API with it; every way of forging, stretching or
// replaying a token is tried against the real services.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SignJWT, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { createHmac } from 'node:crypto';
import { loadKeyring } from '@passerelle/keys';
import { backendsInUse, callApi, getToken, registerClient, startStack, tokenRequest, type Stack, type TestClient } from '../src/index.ts';

let stack: Stack;
let partner: TestClient;

before(async () => {
  console.log(`backends: ${JSON.stringify(backendsInUse())}`);
  stack = await startStack({
    env: { RATE_LIMIT_TIERS: JSON.stringify({ basic: { perSecond: 3, burst: 3 }, standard: { perSecond: 1000 }, premium: { perSecond: 1000 } }) },
  });
  partner = await registerClient(stack, ['partner:read', 'orders:read']);
});
after(() => stack.close());

async function realSigningKey() {
  const keyring = await loadKeyring(stack.db.prisma, Buffer.from(stack.env['SIGNING_KEY_ENCRYPTION_KEY']!, 'base64url'));
  const jwk = keyring.privateJwks.keys[0]!;
  return { key: await importJWK(jwk, 'ES256'), kid: jwk.kid!, publicJwk: keyring.publicJwks.keys[0]! };
}

function claims(overrides: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: stack.authUrl, aud: stack.apiUrl, sub: partner.clientId, client_id: partner.clientId,
    scope: 'partner:read', jti: `forged-${now}-${Math.random()}`, iat: now, exp: now + 300, partner_id: partner.partnerId,
    ...overrides,
  };
}

async function expectUnauthorized(token: string, description?: RegExp) {
  const res = await callApi(stack, '/v1/partners/me', token);
  assert.equal(res.status, 401);
  const challenge = res.headers.get('www-authenticate') ?? '';
  assert.match(challenge, /^Bearer realm="passerelle", error="invalid_token"/);
  const body = (await res.json()) as { code: string };
  assert.equal(body.code, 'invalid_token');
  if (description) assert.match(challenge, description);
}

describe('the happy path', () => {
  test('a partner gets an RFC 9068 JWT access token and reads its partner through the API', async () => {
    const res = await tokenRequest(stack, partner, { scope: 'partner:read' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const body = (await res.json()) as { access_token: string; token_type: string; expires_in: number; scope: string };
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.scope, 'partner:read');
    assert.equal(body.expires_in, 600);

    const header = decodeProtectedHeader(body.access_token);
    assert.equal(header.typ, 'at+jwt');
    assert.equal(header.alg, 'ES256');
    const payload = decodeJwt(body.access_token);
    assert.equal(payload.iss, stack.authUrl);
    assert.equal(payload.aud, stack.apiUrl);
    assert.equal(payload.sub, partner.clientId);
    assert.equal(payload['client_id'], partner.clientId);
    assert.equal(payload['partner_id'], partner.partnerId);
    assert.equal(payload['scope'], 'partner:read');
    assert.equal(payload.exp! - payload.iat!, 600);
    assert.equal(typeof payload.jti, 'string');

    const api = await callApi(stack, '/v1/partners/me', body.access_token);
    assert.equal(api.status, 200);
    const me = (await api.json()) as { id: string; slug: string };
    assert.equal(me.id, partner.partnerId);
    assert.match(api.headers.get('ratelimit') ?? '', /^"burst";r=\d+;t=\d+, "sustained";r=\d+;t=\d+, "daily";r=\d+;t=\d+$/);
  });

  test('the secret may also be sent in the body (client_secret_post)', async () => {
    const res = await fetch(`${stack.authUrl}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'partner:read', client_id: partner.clientId, client_secret: partner.clientSecret }),
    });
    assert.equal(res.status, 200);
  });

  test('discovery advertises no method or algorithm that would use the secret as a key', async () => {
    const res = await fetch(`${stack.authUrl}/.well-known/openid-configuration`);
    const meta = (await res.json()) as Record<string, unknown>;
    assert.deepEqual(meta['token_endpoint_auth_methods_supported'], ['client_secret_basic', 'client_secret_post', 'private_key_jwt']);
    const algs = Object.entries(meta).filter(([k]) => k.endsWith('_alg_values_supported')).flatMap(([, v]) => v as string[]);
    assert.ok(algs.length > 0);
    assert.deepEqual(algs.filter((a) => a.startsWith('HS')), []);
    assert.ok((meta['grant_types_supported'] as string[]).includes('client_credentials'));
    const jwks = (await (await fetch(meta['jwks_uri'] as string)).json()) as { keys: JWK[] };
    assert.equal(jwks.keys.length, 1);
    assert.equal(jwks.keys[0]!.d, undefined, 'the JWKS never publishes a private part');
  });
});

describe('client authentication', () => {
  test('a wrong secret is invalid_client', async () => {
    const res = await tokenRequest(stack, { clientId: partner.clientId, clientSecret: `${partner.clientSecret}x` });
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { error: string }).error, 'invalid_client');
  });

  test('the stored hash itself does not authenticate', async () => {
    const row = await stack.db.prisma.client.findUniqueOrThrow({ where: { clientId: partner.clientId } });
    const res = await tokenRequest(stack, { clientId: partner.clientId, clientSecret: row.secretHash });
    assert.equal(res.status, 401);
  });

  test('an unknown client is invalid_client', async () => {
    const res = await tokenRequest(stack, { clientId: 'ck_unknown', clientSecret: partner.clientSecret });
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { error: string }).error, 'invalid_client');
  });

  test('a client disabled in the database is refused on the next request', async () => {
    const victim = await registerClient(stack, ['partner:read']);
    assert.equal((await tokenRequest(stack, victim, { scope: 'partner:read' })).status, 200);
    await stack.registry.setClientStatus({ type: 'system', id: 'test' }, victim.clientId, 'disabled');
    const res = await tokenRequest(stack, victim, { scope: 'partner:read' });
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { error: string }).error, 'invalid_client');
  });

  test('a client_secret_jwt assertion signed with the stored hash is refused', async () => {
    const row = await stack.db.prisma.client.findUniqueOrThrow({ where: { clientId: partner.clientId } });
    const now = Math.floor(Date.now() / 1000);
    const assertion = await new SignJWT({ jti: `a-${now}` })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(partner.clientId).setSubject(partner.clientId).setAudience(stack.authUrl)
      .setIssuedAt(now).setExpirationTime(now + 60)
      .sign(Buffer.from(row.secretHash));
    const res = await fetch(`${stack.authUrl}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials', client_id: partner.clientId,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion,
      }),
    });
    assert.equal(res.status, 401);
  });
});

describe('scopes', () => {
  test('a scope the client is not registered for is not granted, and the API answers 403', async () => {
    const res = await tokenRequest(stack, partner, { scope: 'partner:read orders:write' });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { access_token: string; scope: string };
    assert.equal(body.scope, 'partner:read');

    const other = await getToken(stack, partner, 'orders:read');
    const api = await callApi(stack, '/v1/partners/me', other);
    assert.equal(api.status, 403);
    assert.match(api.headers.get('www-authenticate') ?? '', /error="insufficient_scope", scope="partner:read"/);
    assert.equal(((await api.json()) as { code: string }).code, 'insufficient_scope');
  });

  test('a token for another resource is refused at the token endpoint', async () => {
    const res = await tokenRequest(stack, partner, { scope: 'partner:read', resource: 'https://elsewhere.example/' });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { error: string }).error, 'invalid_target');
  });
});

describe('tokens the API refuses with 401', () => {
  test('no token at all gets a bare challenge', async () => {
    const res = await fetch(`${stack.apiUrl}/v1/partners/me`);
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="passerelle"');
  });

  test('expired', async () => {
    const { key, kid } = await realSigningKey();
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT(claims({ iat: now - 700, exp: now - 100 })).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid }).sign(key);
    await expectUnauthorized(token, /expired/);
  });

  test('signed by a key that is not in the JWKS', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const { kid } = await realSigningKey();
    const foreignKid = `${(await exportJWK(publicKey)).x}`;
    await expectUnauthorized(await new SignJWT(claims()).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: foreignKid }).sign(privateKey));
    // Same kid as the real key, but a different key: the signature does not verify.
    await expectUnauthorized(await new SignJWT(claims()).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid }).sign(privateKey));
  });

  test('alg: none', async () => {
    const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    await expectUnauthorized(`${enc({ alg: 'none', typ: 'at+jwt' })}.${enc(claims())}.`);
  });

  test('HS256 signed with the public key', async () => {
    const { kid, publicJwk } = await realSigningKey();
    const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const signingInput = `${enc({ alg: 'HS256', typ: 'at+jwt', kid })}.${enc(claims())}`;
    for (const secret of [JSON.stringify(publicJwk), publicJwk.x!, Buffer.from(JSON.stringify(publicJwk)).toString('base64url')]) {
      const signature = createHmac('sha256', secret).update(signingInput).digest('base64url');
      await expectUnauthorized(`${signingInput}.${signature}`);
    }
  });

  test('wrong audience', async () => {
    const { key, kid } = await realSigningKey();
    await expectUnauthorized(await new SignJWT(claims({ aud: 'https://other-api.example' })).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid }).sign(key), /aud/);
  });

  test('wrong issuer', async () => {
    const { key, kid } = await realSigningKey();
    await expectUnauthorized(await new SignJWT(claims({ iss: 'https://evil.example' })).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid }).sign(key), /iss/);
  });

  test('not an access token (typ is not at+jwt)', async () => {
    const { key, kid } = await realSigningKey();
    await expectUnauthorized(await new SignJWT(claims()).setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid }).sign(key));
  });

  test('tampered payload', async () => {
    const token = await getToken(stack, partner, 'orders:read');
    const [header, payload, signature] = token.split('.');
    const changed = { ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), scope: 'orders:read partner:read' };
    await expectUnauthorized(`${header}.${Buffer.from(JSON.stringify(changed)).toString('base64url')}.${signature}`);
  });

  test('a forged token with the genuine key works, so the cases above fail for the reason they name', async () => {
    const { key, kid } = await realSigningKey();
    const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid }).sign(key);
    assert.equal((await callApi(stack, '/v1/partners/me', token)).status, 200);
  });
});

describe('revocation', () => {
  test('a revoked token is refused on the next call while another token of the same client still works', async () => {
    const revoked = await getToken(stack, partner, 'partner:read');
    const kept = await getToken(stack, partner, 'partner:read');
    assert.equal((await callApi(stack, '/v1/partners/me', revoked)).status, 200);

    const res = await fetch(`${stack.authUrl}/token/revocation`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${partner.clientId}:${partner.clientSecret}`).toString('base64')}` },
      body: new URLSearchParams({ token: revoked, token_type_hint: 'access_token' }),
    });
    assert.equal(res.status, 200);

    const refused = await callApi(stack, '/v1/partners/me', revoked);
    assert.equal(refused.status, 401);
    assert.match(refused.headers.get('www-authenticate') ?? '', /revoked/);
    assert.equal((await callApi(stack, '/v1/partners/me', kept)).status, 200);
  });

  test('a client cannot revoke another client\'s token', async () => {
    const other = await registerClient(stack, ['partner:read']);
    const token = await getToken(stack, partner, 'partner:read');
    const res = await fetch(`${stack.authUrl}/token/revocation`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${other.clientId}:${other.clientSecret}`).toString('base64')}` },
      body: new URLSearchParams({ token }),
    });
    assert.equal(res.status, 200);
    assert.equal((await callApi(stack, '/v1/partners/me', token)).status, 200);
  });

  test('revocation needs client authentication', async () => {
    const token = await getToken(stack, partner, 'partner:read');
    const res = await fetch(`${stack.authUrl}/token/revocation`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, client_id: partner.clientId }),
    });
    assert.equal(res.status, 401);
    assert.equal((await callApi(stack, '/v1/partners/me', token)).status, 200);
  });
});

describe('secrets at rest', () => {
  test('neither consumer-secrets nor private signing keys are stored in plaintext', async () => {
    const { key: _key, kid } = await realSigningKey();
    const keyring = await loadKeyring(stack.db.prisma, Buffer.from(stack.env['SIGNING_KEY_ENCRYPTION_KEY']!, 'base64url'));
    const privateD = keyring.privateJwks.keys.find((k) => k.kid === kid)!.d!;
    const dump = JSON.stringify(await stack.db.prisma.$queryRawUnsafe(
      `SELECT json_agg(t) AS rows FROM (
         SELECT row_to_json(c)::text AS r FROM clients c
         UNION ALL SELECT row_to_json(k)::text FROM signing_keys k
         UNION ALL SELECT row_to_json(a)::text FROM audit_events a
         UNION ALL SELECT row_to_json(p)::text FROM partners p) t`,
    ));
    assert.ok(dump.includes(partner.clientId), 'the dump does hold the clients');
    assert.ok(!dump.includes(partner.clientSecret), 'a consumer-secret is in the database');
    assert.ok(!dump.includes(partner.clientSecret.slice(3)), 'a consumer-secret is in the database');
    assert.ok(!dump.includes(privateD), 'a private signing key is in the database');
    assert.match(partner.clientSecret, /^cs_[A-Za-z0-9_-]{43}$/, '256-bit secret');
  });
});

describe('rate limits', () => {
  test('a client over its tier\'s rate gets 429 with Retry-After, and other clients are unaffected', async () => {
    const limited = await registerClient(stack, ['partner:read'], { rateTier: 'basic' });
    const token = await getToken(stack, limited, 'partner:read');
    const responses = await Promise.all(Array.from({ length: 8 }, () => callApi(stack, '/v1/partners/me', token)));
    const statuses = responses.map((r) => r.status);
    assert.ok(statuses.filter((s) => s === 200).length <= 3, `at most 3 pass in one second: ${statuses}`);
    const rejected = responses.filter((r) => r.status === 429);
    assert.ok(rejected.length >= 5, `the rest are limited: ${statuses}`);
    for (const res of rejected) {
      assert.match(res.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
      assert.equal(((await res.json()) as { code: string }).code, 'rate_limited');
    }
    const other = await getToken(stack, partner, 'partner:read');
    assert.equal((await callApi(stack, '/v1/partners/me', other)).status, 200);
  });
});
