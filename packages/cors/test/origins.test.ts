import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseOrigins } from '../src/index.ts';

test('accepts serialized http(s) origins and drops duplicates', () => {
  assert.deepEqual(parseOrigins('https://app.example.com, http://localhost:3000,https://app.example.com'), [
    'https://app.example.com', 'http://localhost:3000',
  ]);
  assert.deepEqual(parseOrigins(''), []);
});

test('refuses wildcards, null, paths, trailing slashes, default ports and other schemes', () => {
  for (const bad of ['*', 'null', 'https://app.example.com/', 'https://app.example.com/path', 'https://app.example.com:443',
    'HTTPS://APP.EXAMPLE.COM', 'ftp://example.com', 'https://*.example.com', 'app.example.com', 'https://user@app.example.com']) {
    assert.throws(() => parseOrigins(bad), Error, bad);
  }
});
