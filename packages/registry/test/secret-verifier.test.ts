import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSecretVerifier, generateConsumerSecret, hashSecret, type StoredSecrets } from '../src/index.ts';

function secrets(current: string, previous?: { secret: string; expiresAt: Date }): StoredSecrets {
  return {
    secretHash: hashSecret(current),
    previousSecretHash: previous ? hashSecret(previous.secret) : null,
    previousSecretExpiresAt: previous?.expiresAt ?? null,
  };
}

test('accepts the current secret and refuses anything else, including the hash itself', async () => {
  const verifier = createSecretVerifier();
  const secret = generateConsumerSecret();
  const stored = secrets(secret);
  assert.equal(await verifier.verify('ck_a', secret, stored), true);
  assert.equal(await verifier.verify('ck_a', secret, stored), true, 'from the cache');
  assert.equal(await verifier.verify('ck_a', `${secret}x`, stored), false);
  assert.equal(await verifier.verify('ck_a', stored.secretHash, stored), false);
  assert.equal(await verifier.verify('ck_a', '', stored), false);
});

test('a cached verification does not survive a rotation: the stored hash is part of the key', async () => {
  const verifier = createSecretVerifier();
  const old = generateConsumerSecret();
  assert.equal(await verifier.verify('ck_a', old, secrets(old)), true);
  const rotated = secrets(generateConsumerSecret());
  assert.equal(await verifier.verify('ck_a', old, rotated), false);
});

test('a cached verification is for one client only', async () => {
  const verifier = createSecretVerifier();
  const secret = generateConsumerSecret();
  assert.equal(await verifier.verify('ck_a', secret, secrets(secret)), true);
  assert.equal(await verifier.verify('ck_b', secret, secrets(generateConsumerSecret())), false);
});

test('the previous secret works only until its grace period ends, cached or not', async () => {
  let now = Date.parse('2026-11-23T12:00:00Z');
  const verifier = createSecretVerifier({ now: () => now });
  const previous = generateConsumerSecret();
  const stored = secrets(generateConsumerSecret(), { secret: previous, expiresAt: new Date(now + 60_000) });
  assert.equal(await verifier.verify('ck_a', previous, stored), true);
  now += 59_000;
  assert.equal(await verifier.verify('ck_a', previous, stored), true);
  now += 2_000;
  assert.equal(await verifier.verify('ck_a', previous, stored), false);
});

test('an unknown client is refused', async () => {
  const verifier = createSecretVerifier();
  assert.equal(await verifier.verify('ck_nobody', generateConsumerSecret(), undefined), false);
});

test('the cache is bounded and forget drops one client', async () => {
  const verifier = createSecretVerifier({ maxEntries: 2 });
  const secret = generateConsumerSecret();
  const stored = secrets(secret);
  for (const key of ['ck_a', 'ck_b', 'ck_c']) assert.equal(await verifier.verify(key, secret, stored), true);
  verifier.forget('ck_c');
  // still correct after eviction and forgetting: verification falls back to the hash
  assert.equal(await verifier.verify('ck_a', secret, stored), true);
  assert.equal(await verifier.verify('ck_c', secret, stored), true);
});
