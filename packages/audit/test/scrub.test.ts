import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scrub } from '../src/index.ts';

test('audit diffs drop anything that looks like a secret or signature, at any depth', () => {
  const diff = scrub({ after: { name: 'n', secretHash: 'h', nested: [{ clientSecret: 's', password: 'p', signingKey: 'k', xSignature: 'x', ok: 1 }] } });
  assert.deepEqual(diff, { after: { name: 'n', nested: [{ ok: 1 }] } });
});

test('policy settings named like secrets stay in the diff; their values are not secrets', () => {
  const diff = scrub({ before: { signaturePolicy: 'writes', secretGraceEndsAt: null }, after: { signaturePolicy: 'off', previousSecretHash: 'h' } });
  assert.deepEqual(diff, { before: { signaturePolicy: 'writes', secretGraceEndsAt: null }, after: { signaturePolicy: 'off' } });
});
