// Response headers and CORS on the real services: every API response is
// JSON (or empty), never cached, never sniffed, and never readable from a page
// of an origin that is not on the allowlist.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadApiConfig } from '@passerelle/api';
import { ConfigError } from '@passerelle/config';
import { orderCaller, sampleOrder, startStack, type OrderCaller, type Stack } from '../src/index.ts';

const allowed = 'https://app.partner.example';
const evil = 'https://evil.example';

let stack: Stack;
let caller: OrderCaller;

before(async () => {
  stack = await startStack({ env: { API_CORS_ORIGINS: `${allowed},http://localhost:3000` } });
  caller = await orderCaller(stack);
});
after(() => stack.close());

function assertNoCors(res: Response) {
  for (const [name, value] of res.headers) {
    assert.ok(!name.startsWith('access-control-'), `${name}: ${value}`);
    assert.ok(!value.includes('evil'), `${name} reflects the origin: ${value}`);
  }
}

describe('CORS', () => {
  test('an allowed origin may read responses, errors included, and the headers it needs', async () => {
    const ok = await caller.call('POST', '/v1/orders', { body: sampleOrder(), headers: { origin: allowed } });
    assert.equal(ok.status, 201);
    assert.equal(ok.headers.get('access-control-allow-origin'), allowed);
    assert.match(ok.headers.get('vary') ?? '', /Origin/);
    assert.match(ok.headers.get('access-control-expose-headers') ?? '', /ETag.*Location.*X-Request-Id/);
    assert.equal(ok.headers.get('access-control-allow-credentials'), null);

    const refused = await fetch(`${stack.apiUrl}/v1/orders`, { headers: { origin: allowed } });
    assert.equal(refused.status, 401);
    assert.equal(refused.headers.get('access-control-allow-origin'), allowed);
    await refused.body?.cancel();
  });

  test('any other origin gets no CORS header and is never reflected', async () => {
    for (const origin of [evil, 'null', `${allowed}.evil.example`, `${allowed}:443`, 'http://app.partner.example', allowed.toUpperCase(), `${allowed}/`]) {
      const res = await caller.call('GET', '/v1/orders', { headers: { origin } });
      assert.equal(res.status, 200);
      assertNoCors(res);
      assert.match(res.headers.get('vary') ?? '', /Origin/);
      await res.body?.cancel();
    }
  });

  test('a preflight from an allowed origin is answered before authentication', async () => {
    const res = await fetch(`${stack.apiUrl}/v1/orders/00000000-0000-4000-8000-000000000000`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'authorization, if-match, content-type' },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), 'http://localhost:3000');
    assert.match(res.headers.get('access-control-allow-methods') ?? '', /PUT/);
    assert.match(res.headers.get('access-control-allow-headers') ?? '', /Authorization.*Content-Type.*Idempotency-Key.*If-Match/);
    assert.ok(Number(res.headers.get('access-control-max-age')) > 0);
    assert.equal(await res.text(), '');
  });

  test('a preflight from another origin gets no CORS header', async () => {
    const res = await fetch(`${stack.apiUrl}/v1/orders`, {
      method: 'OPTIONS', headers: { origin: evil, 'access-control-request-method': 'POST' },
    });
    assert.equal(res.status, 204);
    assertNoCors(res);
  });

  test('a wildcard or a malformed origin in API_CORS_ORIGINS stops the start-up naming the variable', () => {
    for (const value of ['*', 'https://app.example/', 'https://*.example.com', 'null']) {
      assert.throws(() => loadApiConfig({ ...stack.env, API_CORS_ORIGINS: value }), (err: unknown) => err instanceof ConfigError && err.variable === 'API_CORS_ORIGINS', value);
    }
  });
});

describe('security headers', () => {
  test('every API response is no-store, nosniff, under a no-page CSP, and JSON when it has a body', async () => {
    const { id } = (await (await caller.call('POST', '/v1/orders', { body: sampleOrder() })).json()) as { id: string };
    const { id: doomed } = (await (await caller.call('POST', '/v1/orders', { body: sampleOrder() })).json()) as { id: string };
    const responses = await Promise.all([
      fetch(`${stack.apiUrl}/healthz`),
      fetch(`${stack.apiUrl}/v1/orders`),
      caller.call('GET', '/v1/orders'),
      caller.call('GET', `/v1/orders/${id}`),
      caller.call('GET', '/v1/nothing-here'),
      caller.call('PATCH', `/v1/orders/${id}`, { body: {} }),
      caller.call('POST', '/v1/orders', { body: 'x'.repeat(70_000) }),
      caller.call('POST', '/v1/orders', { body: sampleOrder() }),
      caller.call('DELETE', `/v1/orders/${doomed}`),
    ]);
    for (const res of responses) {
      const where = `${res.status} ${res.url}`;
      assert.equal(res.headers.get('cache-control'), 'no-store', where);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', where);
      assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'.*frame-ancestors 'none'/, where);
      const text = await res.text();
      if (res.status === 204) assert.equal(text, '', where);
      else {
        assert.match(res.headers.get('content-type') ?? '', /^application\/(problem\+)?json/, where);
        JSON.parse(text);
      }
    }
    assert.deepEqual(responses.map((r) => r.status), [200, 401, 200, 200, 404, 405, 413, 201, 204]);
    assert.match(responses[5]!.headers.get('allow') ?? '', /GET.*PUT.*DELETE|DELETE/);
  });

  test('the auth service sends helmet headers with a CSP for its pages', async () => {
    const res = await fetch(`${stack.authUrl}/.well-known/openid-configuration`);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /script-src[^;]*'unsafe-inline'/);
    await res.body?.cancel();
  });
});
