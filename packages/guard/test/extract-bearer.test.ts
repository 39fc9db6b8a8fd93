import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Problem } from '@passerelle/errors';
import { extractBearer } from '../src/steps/extract-bearer.ts';

test('the Bearer scheme is matched case-insensitively, the token as sent', () => {
  for (const scheme of ['Bearer', 'bearer', 'BEARER']) assert.equal(extractBearer(`${scheme} aB3.x_Y-z~+/==`), 'aB3.x_Y-z~+/==');
});

test('anything else in the header is invalid_request, and no header is a bare challenge', () => {
  for (const header of ['Bearer', 'Bearer  two-spaces', 'Bearer a b', 'Token abc', 'Bearerabc', 'Bearer ab=c']) {
    assert.throws(() => extractBearer(header), (err: unknown) => err instanceof Problem && err.code === 'invalid_request', header);
  }
  assert.throws(() => extractBearer(undefined), (err: unknown) => err instanceof Problem && err.code === 'authentication_required');
});
