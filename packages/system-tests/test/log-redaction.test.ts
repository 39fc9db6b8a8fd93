// Every kind of secret a partner sends, through every endpoint of both services,
// and not one of them in the captured logs (issue 6, "redaction … wherever they
// appear"). The logs must still have recorded the requests, so the test cannot
// pass by logging nothing.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { adminRoutes } from '@passerelle/auth';
import {
  adminCaller, authorize, basic, callApiSigned, createUser, getToken, redeemCode, refresh, registerApp, registerClient, sampleOrder,
  startStack, tokenRequest, UserAgent, type Stack, type TestClient,
} from '../src/index.ts';

let stack: Stack;
let client: TestClient;
const marker = (kind: string) => `${kind}-${randomBytes(12).toString('hex')}`;

before(async () => {
  stack = await startStack({ env: { LOG_LEVEL: 'trace' } });
  client = await registerClient(stack, ['partner:read']);
});
after(() => stack.close());

test('no secret sent to any endpoint reaches the logs', async () => {
  const token = await getToken(stack, client, 'partner:read');
  const secrets = {
    clientSecret: client.clientSecret,
    token,
    wrongSecret: `cs_${randomBytes(32).toString('base64url')}`,
    cookie: marker('cookie'),
    signature: marker('sig'),
    password: marker('password'),
    verifier: marker('verifier'),
    assertion: marker('assertion'),
    queryToken: marker('querytoken'),
    apiKey: marker('apikey'),
    bogusBearer: marker('bearer'),
  };
  const noisy = {
    cookie: `session=${secrets.cookie}; other=${secrets.cookie}`,
    'x-signature': `v1 keyId="k1",ts="1",sig="${secrets.signature}"`,
    'x-api-key': secrets.apiKey,
  };
  const form = (extra: Record<string, string>) => new URLSearchParams({ grant_type: 'client_credentials', scope: 'partner:read', ...extra });
  const auth = stack.authUrl;
  const api = stack.apiUrl;

  const calls: Promise<Response>[] = [
    // token endpoint: Basic (right and wrong), form secrets, and parameters that do not belong there
    tokenRequest(stack, client, { scope: 'partner:read', password: secrets.password, code_verifier: secrets.verifier }),
    tokenRequest(stack, { clientId: client.clientId, clientSecret: secrets.wrongSecret }),
    fetch(`${auth}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...noisy },
      body: form({ client_id: client.clientId, client_secret: client.clientSecret }) }),
    fetch(`${auth}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ client_id: client.clientId, client_secret: secrets.wrongSecret }) }),
    fetch(`${auth}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ client_id: client.clientId, client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: secrets.assertion }) }),
    fetch(`${auth}/token?client_secret=${secrets.clientSecret}&access_token=${secrets.queryToken}`, { method: 'POST', headers: { authorization: basic(client.clientId, client.clientSecret), 'content-type': 'application/x-www-form-urlencoded' }, body: form({}) }),
    // revocation, discovery, JWKS, an unknown path with secrets in the query
    fetch(`${auth}/token/revocation`, { method: 'POST', headers: { authorization: basic(client.clientId, client.clientSecret), 'content-type': 'application/x-www-form-urlencoded', ...noisy },
      body: new URLSearchParams({ token: secrets.bogusBearer }) }),
    fetch(`${auth}/token/revocation`, { method: 'POST', headers: { authorization: basic(client.clientId, secrets.wrongSecret), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }) }),
    fetch(`${auth}/.well-known/openid-configuration`, { headers: noisy }),
    fetch(`${auth}/jwks`, { headers: { ...noisy, authorization: `Bearer ${token}` } }),
    fetch(`${auth}/nowhere?token=${secrets.queryToken}&password=${secrets.password}`, { headers: noisy }),
    // API: Bearer (good, bogus), Basic, x-signature, cookies, secrets in query and body
    fetch(`${api}/v1/partners/me?access_token=${secrets.queryToken}`, { headers: { authorization: `Bearer ${token}`, ...noisy } }),
    fetch(`${api}/v1/partners/me`, { headers: { authorization: `Bearer ${secrets.bogusBearer}`, ...noisy } }),
    fetch(`${api}/v1/partners/me`, { headers: { authorization: basic(client.clientId, client.clientSecret), ...noisy } }),
    fetch(`${api}/v1/partners/me`, { headers: { authorization: basic(client.clientId, secrets.wrongSecret) } }),
    fetch(`${api}/v1/partners/me`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...noisy },
      body: JSON.stringify({ password: secrets.password, client_secret: secrets.clientSecret, token: secrets.queryToken }) }),
    fetch(`${api}/v1/nowhere?client_secret=${secrets.clientSecret}`, { headers: { authorization: `Bearer ${token}`, cookie: noisy.cookie } }),
  ];
  const responses = await Promise.all(calls);
  await Promise.all(responses.map((r) => r.arrayBuffer()));
  // One revocation of the real token, so the revocation path logs too.
  const revoked = await fetch(`${auth}/token/revocation`, { method: 'POST', headers: { authorization: basic(client.clientId, client.clientSecret), 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token }) });
  assert.equal(revoked.status, 200);
  await new Promise((resolve) => setTimeout(resolve, 200)); // let the last lines reach the capture

  const text = stack.logs.map((line) => JSON.stringify(line)).join('\n');
  const requestLines = stack.logs.filter((l) => l['msg'] === 'request');
  assert.ok(requestLines.length >= calls.length, `expected a log line per request, got ${requestLines.length}`);
  assert.ok(stack.logs.some((l) => l['event'] === 'auth.refused'), 'refusals were logged');
  assert.ok(stack.logs.some((l) => l['event'] === 'token.revoked'), 'the revocation was logged');
  for (const [kind, value] of Object.entries(secrets)) {
    assert.ok(!text.includes(value), `${kind} reached the logs`);
  }
  // Not even the Basic header's base64 form, or half a JWT.
  assert.ok(!text.includes(Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')));
  assert.ok(!text.includes(token.split('.')[2]!));
});

test('nor do the end-user flow, the admin API and signed writes leak theirs', async () => {
  const before = stack.logs.length;
  // End user: password (right and wrong), authorization code, PKCE verifier, refresh/access/id tokens, session cookies.
  const app = await registerApp(stack, ['profile', 'partner:read']);
  const user = await createUser(stack, app.partnerId);
  const wrongPassword = marker('wrongpw');
  const refused = await authorize(stack, app, { ...user, password: wrongPassword }).catch(() => undefined);
  assert.equal(refused, undefined, 'a wrong password does not get through');
  const ua = new UserAgent();
  const flow = await authorize(stack, app, user, { scope: 'openid profile partner:read' }, ua);
  const tokens = await redeemCode(stack, app, flow.code, flow.verifier);
  assert.equal(tokens.status, 200);
  const refreshed = await refresh(stack, app, tokens.body['refresh_token']!);
  assert.equal(refreshed.status, 200);
  const me = await fetch(`${stack.apiUrl}/v1/me`, { headers: { authorization: `Bearer ${refreshed.body['access_token']}` } });
  await me.arrayBuffer();
  // A replayed code (refused, and it revokes the grant) and a reused refresh token.
  assert.equal((await redeemCode(stack, app, flow.code, flow.verifier)).status, 400);
  assert.equal((await refresh(stack, app, tokens.body['refresh_token']!)).status, 400);

  // Admin API: its own bearer token, and a created client's secret in the response body.
  const admin = await adminCaller(stack);
  const partner = await admin.call('POST', '/partners', { slug: `redact-${randomBytes(4).toString('hex')}`, name: 'Redaction' });
  const created = await admin.call('POST', '/clients', { partner: partner.body.slug, name: 'r', scopes: ['orders:read', 'orders:write'], rateTier: 'premium' });
  assert.equal(created.status, 201);
  const createdSecret = created.body.consumerSecret as string;
  const rotated = await admin.call('POST', `/clients/${created.body.consumerKey as string}/rotate-secret`, { graceSeconds: 0 });

  // Orders: a signed write (x-signature), a write with a tampered signature, Basic on a client without the fallback.
  const writer = await registerClient(stack, ['orders:read', 'orders:write'], { rateTier: 'premium' });
  const writerToken = await getToken(stack, writer, 'orders:read orders:write');
  const body = JSON.stringify(sampleOrder({ notes: `password=${marker('notes')}` }));
  const signed = await callApiSigned(stack, '/v1/orders', writerToken, (writer as TestClient & { signing: never }).signing, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  assert.equal(signed.status, 201);
  const signature = signed.headers.get('x-request-id') ?? '';
  const tampered = await fetch(`${stack.apiUrl}/v1/orders`, {
    method: 'POST', body,
    headers: { authorization: `Bearer ${writerToken}`, 'content-type': 'application/json', 'x-signature': `keyId="k",ts="1",sig="${marker('badsig')}"` },
  });
  await tampered.arrayBuffer();
  const viaBasic = await fetch(`${stack.apiUrl}/v1/orders`, { headers: { authorization: basic(writer.clientId, writer.clientSecret) } });
  await viaBasic.arrayBuffer();
  await new Promise((resolve) => setTimeout(resolve, 200));

  const lines = stack.logs.slice(before);
  const text = lines.map((line) => JSON.stringify(line)).join('\n');
  assert.ok(lines.filter((l) => l['msg'] === 'request').length >= 10, 'the requests were logged');
  const secrets: Record<string, string | undefined> = {
    password: user.password, wrongPassword, code: flow.code, verifier: flow.verifier,
    refreshToken: tokens.body['refresh_token'], accessToken: tokens.body['access_token'], idToken: tokens.body['id_token'],
    refreshed: refreshed.body['refresh_token'], adminToken: admin.token, adminSecret: admin.client.clientSecret,
    createdSecret, rotatedSecret: rotated.body?.consumerSecret as string | undefined,
    writerSecret: writer.clientSecret, writerToken, appSecret: app.clientSecret,
    // Every cookie but the interaction id, which is also the /interaction/{uid} path (its signature is a cookie too).
    ...Object.fromEntries([...ua.cookies].filter(([name]) => !/^_interaction(_resume)?$/.test(name))
      .map(([name, value]) => [`cookie ${name}`, value.length >= 16 ? value : undefined])),
  };
  assert.ok(signature);
  assert.ok([...ua.cookies.keys()].some((name) => name.startsWith('_session')), 'the session cookie was among those checked');
  for (const [kind, value] of Object.entries(secrets)) {
    if (value) assert.ok(!text.includes(value), `${kind} reached the logs`);
  }
  assert.ok(!/badsig-/.test(text), 'a refused signature is not logged');
});

/** Every route a Koa app serves through a router, as `METHOD path` (koa-router's middleware carries its router). */
function routedBy(app: { middleware: unknown[] }): { method: string; path: string }[] {
  const routes: { method: string; path: string }[] = [];
  for (const middleware of app.middleware) {
    const router = (middleware as { router?: { stack: { path: string | RegExp; methods: string[] }[] } }).router;
    for (const layer of router?.stack ?? []) {
      if (typeof layer.path !== 'string') continue;
      for (const method of layer.methods) if (method !== 'HEAD') routes.push({ method, path: layer.path });
    }
  }
  return routes;
}

test('each kind of secret, sent to every route of both services, stays out of the logs', async () => {
  const before = stack.logs.length;
  const caller = await registerClient(stack, ['partner:read', 'orders:read', 'orders:write'], { rateTier: 'premium' });
  const token = await getToken(stack, caller, 'partner:read orders:read orders:write');
  const admin = await adminCaller(stack);
  const m = {
    cookie: marker('cookie'), signature: marker('sig'), apiKey: marker('apikey'), password: marker('password'), secret: marker('secret'),
    refresh: marker('refresh'), verifier: marker('verifier'), assertion: marker('assertion'), queryToken: marker('qtoken'), code: marker('code'),
  };
  const query = `?password=${m.password}&client_secret=${m.secret}&access_token=${m.queryToken}&code=${m.code}`;
  const fields = { password: m.password, client_secret: m.secret, refresh_token: m.refresh, code_verifier: m.verifier, client_assertion: m.assertion, token: m.queryToken };

  // The API's and the admin API's routers, the auth service's own pages, and every endpoint the provider publishes.
  const discovery = (await (await fetch(`${stack.authUrl}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
  const published = Object.entries(discovery)
    .filter(([key, value]) => (key.endsWith('_endpoint') || key === 'jwks_uri') && typeof value === 'string' && value.startsWith(stack.authUrl))
    .map(([, value]) => new URL(value as string).pathname);
  const targets = [
    ...routedBy(stack.services.api.app).map((r) => ({ ...r, base: stack.apiUrl, authorization: `Bearer ${token}`, json: true })),
    ...routedBy({ middleware: [adminRoutes({} as never).routes()] }).map((r) => ({ ...r, base: stack.authUrl, authorization: `Bearer ${admin.token}`, json: true })),
    ...[...routedBy(stack.services.auth.provider as unknown as { middleware: unknown[] }), ...['/.well-known/openid-configuration', ...published].flatMap((path) => ['GET', 'POST'].map((method) => ({ method, path })))]
      .map((r) => ({ ...r, base: stack.authUrl, authorization: basic(caller.clientId, caller.clientSecret), json: false })),
  ];
  const unique = [...new Map(targets.map((t) => [`${t.method} ${t.base}${t.path}`, t])).values()];
  assert.ok(unique.filter((t) => t.base === stack.apiUrl).length >= 6, 'the API routes were found');
  assert.ok(unique.filter((t) => t.path.startsWith('/admin/')).length >= 17, 'the admin routes were found');
  assert.ok(unique.some((t) => t.path === '/account/password') && unique.some((t) => t.path === '/token'), 'the auth service\'s pages and endpoints were found');

  const sent: { method: string; path: string }[] = [];
  for (const target of unique) {
    const path = target.path.replace(/:(\w+)/g, (_m, name: string) => `${name}-0001`);
    const hasBody = !['GET', 'HEAD'].includes(target.method);
    const res = await fetch(`${target.base}${path}${query}`, {
      method: target.method, redirect: 'manual',
      headers: {
        authorization: target.authorization, cookie: `_session=${m.cookie}; passerelle.csrf=${m.cookie}`,
        'x-signature': `keyId="k",ts="1",sig="${m.signature}"`, 'x-api-key': m.apiKey,
        ...(hasBody ? { 'content-type': target.json ? 'application/json' : 'application/x-www-form-urlencoded' } : {}),
      },
      ...(hasBody ? { body: target.json ? JSON.stringify(fields) : new URLSearchParams(fields).toString() } : {}),
    });
    await res.arrayBuffer();
    sent.push({ method: target.method, path });
  }
  await new Promise((resolve) => setTimeout(resolve, 200));

  const lines = stack.logs.slice(before);
  for (const { method, path } of sent) {
    assert.ok(lines.some((l) => l['msg'] === 'request' && l['method'] === method && l['path'] === path), `${method} ${path} was logged`);
  }
  const text = lines.map((line) => JSON.stringify(line)).join('\n');
  const secrets = { ...m, token, adminToken: admin.token, clientSecret: caller.clientSecret, basic: Buffer.from(`${caller.clientId}:${caller.clientSecret}`).toString('base64') };
  for (const [kind, value] of Object.entries(secrets)) assert.ok(!text.includes(value), `${kind} reached the logs`);
});
