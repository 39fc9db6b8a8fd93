import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadOrCreateLocalSecrets } from '../src/index.ts';

test('local secrets are generated once, owner-only, and reused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'passerelle-secrets-'));
  try {
    const first = loadOrCreateLocalSecrets(join(dir, 'data'));
    assert.equal(Buffer.from(first.signatureMasterKey, 'base64url').length, 32);
    assert.equal(statSync(join(dir, 'data', 'local-secrets.json')).mode & 0o777, 0o600);
    assert.deepEqual(loadOrCreateLocalSecrets(join(dir, 'data')), first);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a file from an older version gains the missing secret and keeps the others', () => {
  const dir = mkdtempSync(join(tmpdir(), 'passerelle-secrets-'));
  try {
    const file = join(dir, 'local-secrets.json');
    const old = { signingKeyEncryptionKey: 'kek-from-before', cookieKeys: ['cookie-from-before'] };
    writeFileSync(file, JSON.stringify(old), { mode: 0o600 });
    const upgraded = loadOrCreateLocalSecrets(dir);
    assert.equal(upgraded.signingKeyEncryptionKey, old.signingKeyEncryptionKey);
    assert.deepEqual(upgraded.cookieKeys, old.cookieKeys);
    assert.equal(Buffer.from(upgraded.signatureMasterKey, 'base64url').length, 32);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), upgraded);
    assert.equal(statSync(file).mode & 0o777, 0o600);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
