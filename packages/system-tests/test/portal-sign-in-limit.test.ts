// The portal's GET /login stores a sign-in record before the browser reaches
// the auth service: an address looping on it is refused once its per-minute
// allowance is spent (429 + Retry-After, nothing stored), while other addresses
// still sign in. The portal sits behind a trusted proxy here, so the address
// is the X-Forwarded-For the proxy sets.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startStack, type Stack } from '../src/index.ts';

let stack: Stack;

before(async () => {
  stack = await startStack({ portal: true, env: { PORTAL_SIGN_IN_RATE: '3', TRUSTED_PROXIES: '127.0.0.1' } });
});

after(async () => {
  await stack?.close();
});

const startFrom = (address: string) =>
  fetch(`${stack.portalUrl}/login`, { redirect: 'manual', headers: { 'x-forwarded-for': address } });

test('an address that keeps starting sign-ins is refused with 429 and Retry-After, and nothing is stored for it', async () => {
  for (let i = 0; i < 3; i += 1) {
    const res = await startFrom('203.0.113.7');
    assert.equal(res.status, 303, `start ${i + 1} goes to the auth service`);
    assert.ok(res.headers.get('set-cookie'), 'a sign-in record is handed out');
  }
  const refused = await startFrom('203.0.113.7');
  assert.equal(refused.status, 429);
  const retryAfter = Number(refused.headers.get('retry-after'));
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After: ${refused.headers.get('retry-after')}`);
  assert.equal(refused.headers.get('location'), null);
  assert.equal(refused.headers.get('set-cookie'), null, 'no sign-in record');
  assert.match(refused.headers.get('content-type') ?? '', /^text\/html/);
  assert.match(await refused.text(), /try again in a minute/);

  const other = await startFrom('198.51.100.9');
  assert.equal(other.status, 303, 'another address still signs in');
});
