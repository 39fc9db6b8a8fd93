import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { SealError, seal, unseal } from '../src/index.ts';

test('a sealed key opens with its key-encryption key and kid only', () => {
  const kek = randomBytes(32);
  const sealed = seal('{"d":"private"}', kek, 'kid-1');
  assert.ok(!sealed.includes('private'));
  assert.equal(unseal(sealed, kek, 'kid-1'), '{"d":"private"}');
  assert.throws(() => unseal(sealed, randomBytes(32), 'kid-1'), SealError);
  assert.throws(() => unseal(sealed, kek, 'kid-2'), SealError, 'moved to another row');
  const [v, iv, body, tag] = sealed.split('.');
  const flipped = Buffer.from(body!, 'base64url');
  flipped[0]! ^= 1;
  assert.throws(() => unseal([v, iv, flipped.toString('base64url'), tag].join('.'), kek, 'kid-1'), SealError);
});
