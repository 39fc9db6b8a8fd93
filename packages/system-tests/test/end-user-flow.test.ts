// The authorization-code flow over HTTP against the real services: a partner's
// app signs a user in, the user consents, the app redeems the code and calls
// the API as the user; then every way of bending the flow is tried.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import {
  adminCaller, authorize, authorizationUrl, callApi, createUser, pkcePair, redeemCode, refresh, refusedByApi, registerApp, signIn, startStack, UserAgent,
  type Stack, type TestApp, type TestUser,
} from '../src/index.ts';

let stack: Stack;
let app: TestApp;
let member: TestUser;

before(async () => {
  stack = await startStack();
  app = await registerApp(stack, ['profile', 'partner:read', 'orders:read']);
  member = await createUser(stack, app.partnerId);
});
after(() => stack.close());

async function tokensFor(user: TestUser, scope = 'openid profile partner:read') {
  const flow = await authorize(stack, app, user, { scope });
  const res = await redeemCode(stack, app, flow.code, flow.verifier);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return { ...flow, tokens: res.body as { access_token: string; refresh_token: string; id_token: string; scope: string } };
}

describe('the happy path', () => {
  test('login → consent → code (with state and iss) → tokens → /v1/me as that user', async () => {
    const flow = await authorize(stack, app, member, { scope: 'openid profile partner:read', state: 'st-123', nonce: 'n-456' });
    assert.equal(flow.callback.origin + flow.callback.pathname, app.redirectUri);
    assert.equal(flow.callback.searchParams.get('state'), 'st-123');
    assert.equal(flow.callback.searchParams.get('iss'), stack.authUrl);

    const res = await redeemCode(stack, app, flow.code, flow.verifier);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const idToken = decodeJwt(res.body['id_token']!);
    assert.equal(idToken.sub, member.id);
    assert.equal(idToken['nonce'], 'n-456');
    assert.equal(idToken.aud, app.clientId);
    const access = decodeJwt(res.body['access_token']!);
    assert.equal(access.sub, member.id);
    assert.equal(access.aud, stack.apiUrl);
    assert.equal(access['client_id'], app.clientId);
    assert.equal(access['partner_id'], app.partnerId);
    assert.deepEqual(String(access['scope']).split(' ').sort(), ['partner:read', 'profile']);
    assert.ok(res.body['refresh_token']);

    const me = await callApi(stack, '/v1/me', res.body['access_token']!);
    assert.equal(me.status, 200);
    const body = (await me.json()) as { id: string; email: string; partner_id: string };
    assert.equal(body.id, member.id);
    assert.equal(body.email, member.email);
    assert.equal(body.partner_id, app.partnerId);
    assert.equal((await callApi(stack, '/v1/partners/me', res.body['access_token']!)).status, 200);
  });
});

async function securityEvents(action: string) {
  return stack.db.prisma.auditEvent.findMany({ where: { action, outcome: 'failure' } });
}

describe('object-level access for user tokens', () => {
  test('a user outside the app\'s partner gets no partner scope and no partner data', async () => {
    const outsider = await createUser(stack);
    const flow = await authorize(stack, app, outsider, { scope: 'openid profile partner:read orders:read' });
    const res = await redeemCode(stack, app, flow.code, flow.verifier);
    const access = decodeJwt(res.body['access_token']!);
    assert.equal(access['scope'], 'profile');
    assert.equal(access['partner_id'], undefined);
    const partner = await callApi(stack, '/v1/partners/me', res.body['access_token']!);
    assert.equal(partner.status, 403);
    const me = (await (await callApi(stack, '/v1/me', res.body['access_token']!)).json()) as { id: string };
    assert.equal(me.id, outsider.id);
  });

  test('/v1/me needs the profile scope and a user token', async () => {
    const { tokens } = await tokensFor(member, 'openid partner:read');
    assert.equal((await callApi(stack, '/v1/me', tokens.access_token)).status, 403);
  });
});

describe('attacks on the authorization code', () => {
  test('a replayed code is refused, revokes the grant and its tokens, and is a security event', async () => {
    const { code, verifier, tokens } = await tokensFor(member);
    const replay = await redeemCode(stack, app, code, verifier);
    assert.equal(replay.status, 400);
    assert.equal(replay.body['error'], 'invalid_grant');
    assert.equal((await refresh(stack, app, tokens.refresh_token)).body['error'], 'invalid_grant');
    assert.ok(await refusedByApi(stack, '/v1/me', tokens.access_token));
    assert.ok((await securityEvents('token.code_replay')).length >= 1);
  });

  test('PKCE cannot be left out or downgraded to plain', async () => {
    const { challenge } = pkcePair();
    const ua = new UserAgent();
    const noChallenge = await ua.get(authorizationUrl(stack, app, { challenge, params: { code_challenge: undefined, code_challenge_method: undefined } }));
    assert.equal(new URL(noChallenge.location!).searchParams.get('error'), 'invalid_request');
    const plain = await ua.get(authorizationUrl(stack, app, { challenge, params: { code_challenge_method: 'plain' } }));
    assert.equal(new URL(plain.location!).searchParams.get('error'), 'invalid_request');

    const flow = await authorize(stack, app, member);
    assert.equal((await redeemCode(stack, app, flow.code, undefined)).body['error'], 'invalid_grant');
    const again = await authorize(stack, app, member);
    assert.equal((await redeemCode(stack, app, again.code, pkcePair().verifier)).body['error'], 'invalid_grant');
    const plainVerifier = await authorize(stack, app, member);
    assert.equal((await redeemCode(stack, app, plainVerifier.code, 'x'.repeat(43), { code_challenge_method: 'plain' })).body['error'], 'invalid_grant');
  });

  test('a redirect URI that is not registered exactly gets an error page, never a redirect', async () => {
    const { challenge } = pkcePair();
    for (const tampered of [`${app.redirectUri}/extra`, `${app.redirectUri}?x=1`, app.redirectUri.replace('127.0.0.1', 'localhost'), 'https://evil.example/callback']) {
      const page = await new UserAgent().get(authorizationUrl(stack, app, { challenge, params: { redirect_uri: tampered } }));
      assert.equal(page.status, 400, tampered);
      assert.equal(page.location, undefined);
      assert.match(page.body, /Something went wrong/);
    }
  });

  test('a code is redeemed only with the redirect URI it was issued for', async () => {
    const flow = await authorize(stack, app, member);
    const res = await redeemCode(stack, app, flow.code, flow.verifier, { redirect_uri: `${app.redirectUri}/other` });
    assert.equal(res.body['error'], 'invalid_grant');
  });

  test('a request without state is refused; each flow gets back exactly its own state', async () => {
    const { challenge } = pkcePair();
    const missing = await new UserAgent().get(authorizationUrl(stack, app, { challenge, params: { state: undefined } }));
    const error = new URL(missing.location!);
    assert.equal(error.searchParams.get('error'), 'invalid_request');
    assert.equal(error.searchParams.get('code'), null);

    const ua = new UserAgent();
    const first = await authorize(stack, app, member, { state: 'state-of-flow-one' }, ua);
    const second = await authorize(stack, app, member, { state: 'state-of-flow-two' }, ua);
    assert.equal(first.callback.searchParams.get('state'), 'state-of-flow-one');
    assert.equal(second.callback.searchParams.get('state'), 'state-of-flow-two');
  });
});

describe('refresh tokens', () => {
  test('rotate on every use', async () => {
    const { tokens } = await tokensFor(member);
    const first = await refresh(stack, app, tokens.refresh_token);
    assert.equal(first.status, 200);
    assert.notEqual(first.body['refresh_token'], tokens.refresh_token);
    const second = await refresh(stack, app, first.body['refresh_token']!);
    assert.equal(second.status, 200);
    assert.equal((await callApi(stack, '/v1/me', second.body['access_token']!)).status, 200);
  });

  test('reusing a rotated refresh token revokes the whole grant and is a security event', async () => {
    const { tokens } = await tokensFor(member);
    const rotated = await refresh(stack, app, tokens.refresh_token);
    const reuse = await refresh(stack, app, tokens.refresh_token);
    assert.equal(reuse.status, 400);
    assert.equal(reuse.body['error'], 'invalid_grant');
    // the thief's or the user's newer refresh token dies with the grant, and so do its access tokens
    assert.equal((await refresh(stack, app, rotated.body['refresh_token']!)).body['error'], 'invalid_grant');
    assert.ok(await refusedByApi(stack, '/v1/me', rotated.body['access_token']!));
    assert.ok(await refusedByApi(stack, '/v1/me', tokens.access_token));
    const events = await securityEvents('token.refresh_reuse');
    assert.ok(events.some((e) => e.actorId === app.clientId));
  });

  test('cannot widen the scope, only narrow it', async () => {
    const { tokens } = await tokensFor(member, 'openid profile');
    const wider = await refresh(stack, app, tokens.refresh_token, { scope: 'openid profile partner:read' });
    assert.equal(wider.status, 400);
    assert.equal(wider.body['error'], 'invalid_scope');
    const narrower = await refresh(stack, app, tokens.refresh_token, { scope: 'profile' });
    assert.equal(narrower.status, 200);
    assert.equal(decodeJwt(narrower.body['access_token']!)['scope'], 'profile');
  });
});

describe('the login page', () => {
  async function loginPage(ua = new UserAgent()) {
    const { challenge } = pkcePair();
    return { ua, page: await ua.follow(await ua.get(authorizationUrl(stack, app, { challenge })), stack.authUrl) };
  }

  test('is served with a strict CSP, SameSite cookies and a POST form', async () => {
    const { ua, page } = await loginPage();
    assert.equal(page.status, 200);
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.doesNotMatch(csp, /script-src|unsafe-inline/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(page.body, /<script|style=/i);
    assert.match(page.body, /<form method="post" action="\/interaction\/[\w-]+\/login"/);
    assert.match(page.body, /<html lang="en">/);
    assert.match(page.body, /<label for="password">/);
    assert.ok(ua.cookies.has('passerelle.csrf'));
    assert.ok(ua.setCookies.length >= 2);
    for (const line of ua.setCookies) {
      assert.match(line, /; samesite=(lax|strict)/i, line);
      assert.match(line, /; httponly/i, line);
    }
  });

  test('refuses a login without the CSRF token of this browser', async () => {
    const { ua, page } = await loginPage();
    const uid = /\/interaction\/([\w-]+)\/login/.exec(page.body)![1]!;
    const forged = await ua.post(`${stack.authUrl}/interaction/${uid}/login`, { csrf: 'forged', email: member.email, password: member.password });
    assert.equal(forged.status, 403);
    const { page: other } = await loginPage();
    const stolen = await ua.post(`${stack.authUrl}/interaction/${uid}/login`, { csrf: /name="csrf" value="([^"]+)"/.exec(other.body)![1]!, email: member.email, password: member.password });
    assert.equal(stolen.status, 403);
  });

  test('answers an unknown user and a wrong password with the same words, and locks after repeated failures', async () => {
    const victim = await createUser(stack, app.partnerId);
    const { ua, page } = await loginPage();
    const unknown = await signIn(stack, ua, page, { email: `nobody-${Date.now()}@example.test`, password: 'whatever it is' });
    const wrong = await signIn(stack, ua, unknown, { email: victim.email, password: 'not the password' });
    assert.equal(unknown.status, 401);
    assert.equal(wrong.status, 401);
    const message = (p: { body: string }) => /role="alert"[^>]*>([^<]+)</.exec(p.body)?.[1];
    assert.equal(message(unknown), 'The email or password is incorrect.');
    assert.equal(message(wrong), message(unknown));

    let last = wrong;
    for (let i = 0; i < 4; i++) last = await signIn(stack, ua, last, { email: victim.email, password: `guess number ${i}` });
    const locked = await signIn(stack, ua, last, victim);
    assert.equal(locked.status, 429);
    assert.ok(Number(locked.headers.get('retry-after')) > 0);
    assert.match(message(locked) ?? '', /Too many unsuccessful attempts/);
    const failures = await stack.db.prisma.auditEvent.findMany({ where: { action: 'user.sign_in', targetId: victim.id, outcome: 'failure' } });
    assert.deepEqual(failures.map((f) => (f.diff as { reason: string }).reason).sort(), ['locked', ...Array(5).fill('wrong_password')]);
  });
});

describe('logout', () => {
  async function logoutPage(ua: UserAgent, params: Record<string, string>) {
    const url = new URL('/session/end', stack.authUrl);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return ua.get(url.href);
  }

  test('returns only to a registered URI, with the state, after revoking the user\'s tokens', async () => {
    const user = await createUser(stack, app.partnerId);
    const flow = await authorize(stack, app, user);
    const tokens = (await redeemCode(stack, app, flow.code, flow.verifier)).body;
    const foreign = await logoutPage(flow.ua, { client_id: app.clientId, post_logout_redirect_uri: 'https://evil.example/bye' });
    assert.equal(foreign.status, 400);
    assert.equal(foreign.location, undefined);

    const page = await logoutPage(flow.ua, { client_id: app.clientId, post_logout_redirect_uri: app.redirectUri, state: 'bye-1' });
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy') ?? '', /form-action 'self' http:\/\/127\.0\.0\.1:9/);
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page.body)?.[1];
    assert.ok(xsrf);
    const done = await flow.ua.post(`${stack.authUrl}/session/end/confirm`, { xsrf, logout: 'yes' });
    assert.equal(done.status, 303);
    const back = new URL(done.location!);
    assert.equal(`${back.origin}${back.pathname}`, app.redirectUri);
    assert.equal(back.searchParams.get('state'), 'bye-1');
    assert.ok(await refusedByApi(stack, '/v1/me', tokens['access_token']!));
    assert.equal((await refresh(stack, app, tokens['refresh_token']!)).body['error'], 'invalid_grant');
  });

  test('a forged confirmation (no xsrf of this session) signs nobody out', async () => {
    const user = await createUser(stack, app.partnerId);
    const flow = await authorize(stack, app, user);
    const tokens = (await redeemCode(stack, app, flow.code, flow.verifier)).body;
    const forged = await flow.ua.post(`${stack.authUrl}/session/end/confirm`, { xsrf: 'forged', logout: 'yes' });
    assert.equal(forged.status, 400);
    const me = await callApi(stack, '/v1/me', tokens['access_token']!);
    assert.equal(me.status, 200);
  });
});

describe('an admin ending a client\'s tokens', () => {
  // Issue 4: rotation with no grace, or the end of a grace, revokes every token
  // already issued to the client, its users' refresh tokens and grants included,
  // while the client itself stays active with its new secret.
  async function userTokensOfNewApp() {
    const ownApp = await registerApp(stack, ['profile', 'partner:read']);
    const user = await createUser(stack, ownApp.partnerId);
    const flow = await authorize(stack, ownApp, user);
    const res = await redeemCode(stack, ownApp, flow.code, flow.verifier);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return { ownApp, user, tokens: res.body as { access_token: string; refresh_token: string } };
  }

  test('a rotation with no grace: the users\' refresh tokens and access tokens die, the new secret signs users in', async () => {
    const admin = await adminCaller(stack);
    const { ownApp, user, tokens } = await userTokensOfNewApp();
    const rotated = await admin.call('POST', `/clients/${ownApp.clientId}/rotate-secret`, { graceSeconds: 0 });
    assert.equal(rotated.status, 200, rotated.text);
    const renewed = { ...ownApp, clientSecret: rotated.body.consumerSecret as string };
    const stale = await refresh(stack, renewed, tokens.refresh_token);
    assert.equal(stale.status, 400);
    assert.equal(stale.body['error'], 'invalid_grant');
    assert.ok(await refusedByApi(stack, '/v1/me', tokens.access_token));

    await new Promise((resolve) => setTimeout(resolve, 1100)); // past the revoked second
    const again = await authorize(stack, renewed, user);
    const fresh = await redeemCode(stack, renewed, again.code, again.verifier);
    assert.equal(fresh.status, 200, JSON.stringify(fresh.body));
    assert.equal((await refresh(stack, renewed, fresh.body['refresh_token']!)).status, 200);
  });

  test('cutting a grace short does the same for tokens obtained with either secret', async () => {
    const admin = await adminCaller(stack);
    const { ownApp, tokens } = await userTokensOfNewApp();
    const rotated = await admin.call('POST', `/clients/${ownApp.clientId}/rotate-secret`, { graceSeconds: 3600 });
    const renewed = { ...ownApp, clientSecret: rotated.body.consumerSecret as string };
    const during = await refresh(stack, renewed, tokens.refresh_token);
    assert.equal(during.status, 200, 'the grant survives a rotation with a grace');
    assert.equal((await admin.call('POST', `/clients/${ownApp.clientId}/end-secret-grace`)).status, 200);
    assert.equal((await refresh(stack, renewed, during.body['refresh_token']!)).body['error'], 'invalid_grant');
    assert.ok(await refusedByApi(stack, '/v1/me', during.body['access_token']!));
  });
});
