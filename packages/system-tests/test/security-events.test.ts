// Security events reach the log at `warn`, one shape each (issue 6: "authentication
// failures by reason, lockouts, rate-limit rejections, revocations, signature
// failures"), from both services and from the end users' sign-in too. Signature
// refusals are proved in signatures.test.ts. Each event is provoked for real and
// looked for by name, level and reason.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  adminCaller, authorizationUrl, basic, callApi, createUser, getToken, pkcePair, registerApp, registerClient, signIn,
  startStack, tokenRequest, UserAgent, csrfOf, type Stack,
} from '../src/index.ts';

let stack: Stack;

before(async () => {
  const tier = { perSecond: 1, burst: 2 };
  stack = await startStack({
    env: { RATE_LIMIT_TIERS: JSON.stringify({ basic: tier, standard: tier, premium: tier }), AUTH_FAILURES_PER_IP: '3' },
  });
});
after(() => stack.close());

function warned(event: string, match: Record<string, unknown> = {}): Record<string, unknown> | undefined {
  return stack.logs.find((l) => l['event'] === event && Object.entries(match).every(([k, v]) => l[k] === v));
}

function assertWarned(event: string, match: Record<string, unknown>): Record<string, unknown> {
  const line = warned(event, match);
  assert.ok(line, `no ${event} logged with ${JSON.stringify(match)}`);
  assert.equal(line['level'], 'warn', `${event} is logged at warn`);
  return line;
}

async function sample(service: 'auth' | 'api', name: string, labels: Record<string, string>): Promise<number> {
  const text = await stack.metrics[service].registry.metrics();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

test('a refused client secret at the token endpoint: auth.refused with the OAuth error', async () => {
  const client = await registerClient(stack, ['partner:read']);
  assert.equal((await tokenRequest(stack, { clientId: client.clientId, clientSecret: 'cs_wrong' })).status, 401);
  assertWarned('auth.refused', { reason: 'invalid_client', clientId: client.clientId });
});

test('RFC 7009 revocation: token.revoked; disabling a client: client.revoked', async () => {
  const client = await registerClient(stack, ['partner:read']);
  const token = await getToken(stack, client, 'partner:read');
  const revoked = await fetch(`${stack.authUrl}/token/revocation`, {
    method: 'POST', headers: { authorization: basic(client.clientId, client.clientSecret), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }),
  });
  assert.equal(revoked.status, 200);
  assertWarned('token.revoked', { reason: 'client_request', clientId: client.clientId });

  const admin = await adminCaller(stack);
  assert.equal((await admin.call('POST', `/clients/${client.clientId}/disable`)).status, 200);
  assertWarned('client.revoked', { clientId: client.clientId });
});

test('a client over its rate: rate_limit.rejected naming the limiter', async () => {
  const client = await registerClient(stack, ['partner:read']);
  const token = await getToken(stack, client, 'partner:read');
  const statuses = (await Promise.all(Array.from({ length: 6 }, () => callApi(stack, '/v1/partners/me', token)))).map((r) => r.status);
  assert.ok(statuses.includes(429), `the burst went over the rate: ${statuses}`);
  assertWarned('rate_limit.rejected', { reason: 'client_rate', clientId: client.clientId });
});

test('end-user sign-in: each wrong password is auth.refused, the lock it starts auth.lockout, attempts while locked rate_limit.rejected', async () => {
  const app = await registerApp(stack, ['profile']);
  const victim = await createUser(stack, app.partnerId);
  const ua = new UserAgent();
  let page = await ua.follow(await ua.get(authorizationUrl(stack, app, { challenge: pkcePair().challenge })), stack.authUrl);
  const failuresBefore = await sample('auth', 'passerelle_auth_failures_total', { reason: 'wrong_password' });
  for (let i = 0; i < 5; i++) page = await signIn(stack, ua, page, { email: victim.email, password: `guess ${i}` });
  const locked = await signIn(stack, ua, page, victim);
  assert.equal(locked.status, 429);

  const refusals = stack.logs.filter((l) => l['event'] === 'auth.refused' && l['userId'] === victim.id);
  assert.equal(refusals.length, 5);
  for (const line of refusals) {
    assert.equal(line['level'], 'warn');
    assert.equal(line['reason'], 'wrong_password');
    assert.equal(line['route'], 'user.sign_in');
    assert.equal(typeof line['requestId'], 'string');
  }
  assertWarned('auth.lockout', { reason: 'sign_in:account', userId: victim.id });
  assertWarned('rate_limit.rejected', { reason: 'lockout', userId: victim.id });
  assert.ok(!JSON.stringify(stack.logs).includes(victim.email), 'the email is not logged');
  assert.equal(await sample('auth', 'passerelle_auth_failures_total', { reason: 'wrong_password' }), failuresBefore + 5);
  assert.ok(await sample('auth', 'passerelle_rate_limit_rejections_total', { limiter: 'lockout' }) >= 1);
});

test('a password change ends everything the user had: user.revoked', async () => {
  const app = await registerApp(stack, ['profile']);
  const user = await createUser(stack, app.partnerId);
  const ua = new UserAgent();
  const form = await ua.get(`${stack.authUrl}/account/password`);
  const changed = await ua.post(`${stack.authUrl}/account/password`, {
    csrf: csrfOf(form), email: user.email, currentPassword: user.password, newPassword: `a new passphrase ${Date.now()}`,
  });
  assert.equal(changed.status, 200);
  assertWarned('user.revoked', { userId: user.id });
});

test('failed API authentications: auth.refused by reason, then auth.lockout for the address', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) statuses.push((await callApi(stack, '/v1/partners/me', `bogus-${i}`)).status);
  assert.deepEqual(statuses.slice(0, 2), [401, 401]);
  assert.equal(statuses.at(-1), 429, `the address is locked out: ${statuses}`);
  assertWarned('auth.refused', { reason: 'invalid_token' });
  assertWarned('auth.lockout', { lock: 'ip' });
});
