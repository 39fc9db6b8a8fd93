import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateConsumerKey, generateConsumerSecret, hashSecret, verifySecret } from '../src/index.ts';

test('consumer-secrets carry 256 random bits behind a scannable prefix', () => {
  const secret = generateConsumerSecret();
  assert.match(secret, /^cs_[A-Za-z0-9_-]{43}$/);
  assert.equal(Buffer.from(secret.slice(3), 'base64url').length, 32);
  assert.notEqual(generateConsumerSecret(), secret);
  assert.match(generateConsumerKey(), /^ck_[A-Za-z0-9_-]{22}$/);
});

test('a secret verifies against its hash, and nothing else does', () => {
  const secret = generateConsumerSecret();
  const hash = hashSecret(secret);
  assert.ok(!hash.includes(secret.slice(3)));
  assert.equal(verifySecret(secret, hash), true);
  assert.equal(verifySecret(`${secret}x`, hash), false);
  assert.equal(verifySecret(hash, hash), false, 'the hash itself is not a credential');
  assert.equal(verifySecret('', hash), false);
});
