// Prometheus metrics, read the way Prometheus reads them: after real traffic
// through both services, the counters say what happened, by bounded labels.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { serveMetrics } from '@passerelle/metrics';
import { basic, callApi, getToken, registerClient, startStack, tokenRequest, type Stack, type TestClient } from '../src/index.ts';

let stack: Stack;
let client: TestClient;

before(async () => {
  const tier = { perSecond: 1, burst: 3 };
  stack = await startStack({ env: { RATE_LIMIT_TIERS: JSON.stringify({ basic: tier, standard: tier, premium: tier }) } });
  client = await registerClient(stack, ['partner:read']);
});
after(() => stack.close());

function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

test('requests, tokens, refusals, rate-limit rejections, revocations and dependency health are counted', async () => {
  const token = await getToken(stack, client, 'partner:read');
  assert.equal((await tokenRequest(stack, { clientId: client.clientId, clientSecret: 'cs_wrong' })).status, 401);
  assert.equal((await callApi(stack, '/v1/partners/me', token)).status, 200);
  assert.equal((await callApi(stack, '/v1/partners/me', 'not-a-token')).status, 401);
  assert.equal((await fetch(`${stack.apiUrl}/v1/no/such/path/${Math.random()}`)).status, 401);
  const burst = await Promise.all(Array.from({ length: 10 }, () => callApi(stack, '/v1/partners/me', token)));
  assert.ok(burst.some((r) => r.status === 429), 'the burst went over the client\'s rate');
  const revoked = await fetch(`${stack.authUrl}/token/revocation`, {
    method: 'POST', headers: { authorization: basic(client.clientId, client.clientSecret), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }),
  });
  assert.equal(revoked.status, 200);

  const auth = await stack.metrics.auth.registry.metrics();
  // The revocation reaches the API's mirror by broadcast; its lag is measured on arrival.
  let api = '';
  for (let i = 0; i < 100 && !/^passerelle_revocation_mirror_lag_seconds\{/m.test(api); i++) {
    if (i > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    api = await stack.metrics.api.registry.metrics();
  }
  assert.equal(sample(auth, 'passerelle_tokens_issued_total', { grant_type: 'client_credentials', service: 'auth' }), 1);
  assert.ok((sample(auth, 'passerelle_auth_failures_total', { reason: 'invalid_client' }) ?? 0) >= 1);
  assert.equal(sample(auth, 'passerelle_revocations_total', { kind: 'token' }), 1);
  assert.ok((sample(auth, 'passerelle_http_request_duration_seconds_count', { route: 'token', status: '200' }) ?? 0) >= 1);

  assert.ok((sample(api, 'passerelle_http_request_duration_seconds_count', { method: 'GET', route: '/v1/partners/me', status: '200' }) ?? 0) >= 1);
  assert.ok((sample(api, 'passerelle_http_request_duration_seconds_bucket', { route: '/v1/partners/me', status: '200', le: '+Inf' }) ?? 0) >= 1);
  assert.ok((sample(api, 'passerelle_auth_failures_total', { reason: 'invalid_token' }) ?? 0) >= 1);
  assert.ok((sample(api, 'passerelle_rate_limit_rejections_total', { limiter: 'client_rate' }) ?? 0) >= 1);
  assert.ok(!api.includes('/v1/no/such/path'), 'unknown paths do not become labels');
  assert.equal(sample(api, 'passerelle_dependency_up', { dependency: 'database' }), 1);
  assert.equal(sample(api, 'passerelle_dependency_up', { dependency: 'jwks' }), 1);
  assert.equal(sample(api, 'passerelle_dependency_up', { dependency: process.env['REDIS_URL'] ? 'redis' : 'memory' }), 1);
  assert.equal(sample(auth, 'passerelle_dependency_up', { dependency: 'database' }), 1);
  assert.equal(sample(auth, 'passerelle_dependency_up', { dependency: process.env['REDIS_URL'] ? 'redis' : 'memory' }), 1);
  assert.match(api, /^passerelle_revocation_mirror_lag_seconds\{service="api"\} [\d.e-]+$/m, 'the revocation broadcast\'s lag is measured');
  assert.match(api, /^passerelle_revocation_mirror_staleness_seconds\{service="api"\} [\d.e-]+$/m);
  assert.match(api, /^passerelle_revocation_mirror_entries\{service="api"\} \d+$/m);
  assert.match(api, /^passerelle_process_cpu_seconds_total/m);
});

test('/metrics is served on its own listener, not on the public one', async () => {
  const listener = await serveMetrics(stack.metrics.api, { host: '127.0.0.1', port: 0 });
  try {
    const res = await fetch(`${listener.url}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    assert.match(await res.text(), /passerelle_http_request_duration_seconds/);
    assert.equal((await fetch(`${listener.url}/`)).status, 404);
  } finally {
    await listener.shutdown();
  }
  assert.notEqual((await fetch(`${stack.apiUrl}/metrics`)).status, 200);
  assert.notEqual((await fetch(`${stack.authUrl}/metrics`)).status, 200);
});

test('/readyz checks the database, the store, the JWKS and the revocation mirror; /healthz is liveness only', async () => {
  const ready = await fetch(`${stack.apiUrl}/readyz`);
  assert.equal(ready.status, 200);
  const body = (await ready.json()) as { status: string; checks: Record<string, string> };
  assert.equal(body.status, 'ready');
  assert.deepEqual(Object.keys(body.checks).sort(), ['database', 'jwks', process.env['REDIS_URL'] ? 'redis' : 'memory', 'revocation'].sort());
  const authReady = await fetch(`${stack.authUrl}/readyz`);
  assert.equal(authReady.status, 200);
  assert.equal((await fetch(`${stack.authUrl}/healthz`)).status, 200);
});
