// The verified-token cache: a token is verified once and then served from
// memory until it expires; the memory is bounded; refusals are never kept.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Problem } from '@passerelle/errors';
import { cachedVerifier, type Principal, type TokenVerifier } from '../src/index.ts';

function principalFor(token: string, expiresAt: number): Principal {
  return {
    credential: 'bearer', clientId: 'ck_test', subject: 'ck_test', userId: undefined, partnerId: 'p1',
    scopes: new Set(['partner:read']), tokenId: `jti-${token}`, issuedAt: expiresAt - 600, expiresAt,
  };
}

/** A verifier that accepts tokens named `good-*` until their expiry and counts its calls. */
function countingVerifier(clock: { now: number }, lifetimeSeconds = 600) {
  const calls: string[] = [];
  const expiries = new Map<string, number>();
  const verify: TokenVerifier = async (token) => {
    calls.push(token);
    if (!token.startsWith('good-')) throw new Problem('invalid_token');
    const exp = expiries.get(token) ?? Math.floor(clock.now / 1000) + lifetimeSeconds;
    expiries.set(token, exp);
    if (exp * 1000 <= clock.now) throw new Problem('invalid_token', { detail: 'the token has expired' });
    return principalFor(token, exp);
  };
  return { verify, calls };
}

test('a verified token is served from the cache on the next request', async () => {
  const clock = { now: Date.UTC(2026, 0, 1) };
  const { verify, calls } = countingVerifier(clock);
  const cached = cachedVerifier(verify, { now: () => clock.now });
  const first = await cached('good-a');
  const second = await cached('good-a');
  assert.equal(calls.length, 1);
  assert.equal(second, first);
  assert.ok(Object.isFrozen(second), 'a shared principal cannot be altered by one request for the next');
});

test('an expired token is verified again, and refused, rather than served from the cache', async () => {
  const clock = { now: Date.UTC(2026, 0, 1) };
  const { verify, calls } = countingVerifier(clock, 60);
  const cached = cachedVerifier(verify, { now: () => clock.now });
  await cached('good-short');
  clock.now += 60_000; // exactly at exp
  await assert.rejects(cached('good-short'), (err: Problem) => err.code === 'invalid_token');
  assert.equal(calls.length, 2);
});

test('a verification is trusted for maxAgeSeconds at most, so a key withdrawn from the JWKS takes its tokens with it', async () => {
  const clock = { now: Date.UTC(2026, 0, 1) };
  let keyWithdrawn = false;
  const { verify: accept, calls } = countingVerifier(clock);
  // The verifier as it behaves once its JWKS copy no longer holds the token's key.
  const verify: TokenVerifier = async (token) => {
    if (keyWithdrawn) throw new Problem('invalid_token');
    return accept(token);
  };
  const cached = cachedVerifier(verify, { now: () => clock.now, maxAgeSeconds: 60 });
  await cached('good-old-key');
  keyWithdrawn = true;
  clock.now += 59_000;
  await cached('good-old-key');
  assert.equal(calls.length, 1, 'served from the cache within the max age');
  clock.now += 1_000;
  await assert.rejects(cached('good-old-key'), (err: Problem) => err.code === 'invalid_token');
});

test('a refused token is never cached', async () => {
  const clock = { now: Date.UTC(2026, 0, 1) };
  const { verify, calls } = countingVerifier(clock);
  const cached = cachedVerifier(verify, { now: () => clock.now });
  await assert.rejects(cached('forged'));
  await assert.rejects(cached('forged'));
  assert.equal(calls.length, 2);
});

test('the cache holds at most maxEntries, dropping the least recently used', async () => {
  const clock = { now: Date.UTC(2026, 0, 1) };
  const { verify, calls } = countingVerifier(clock);
  const cached = cachedVerifier(verify, { now: () => clock.now, maxEntries: 3 });
  for (const t of ['good-1', 'good-2', 'good-3']) await cached(t);
  await cached('good-1'); // now the most recently used
  await cached('good-4'); // evicts good-2
  calls.length = 0;
  await cached('good-1');
  await cached('good-3');
  await cached('good-4');
  assert.deepEqual(calls, [], 'the three most recent are still cached');
  await cached('good-2');
  assert.deepEqual(calls, ['good-2'], 'the least recently used was dropped');
});

test('maxEntries must be a positive integer', () => {
  const clock = { now: 0 };
  assert.throws(() => cachedVerifier(countingVerifier(clock).verify, { maxEntries: 0 }), RangeError);
});
