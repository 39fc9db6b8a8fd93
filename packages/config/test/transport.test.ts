import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseEnv, sharedEnv, transportEnv, transportOf, transportRules, z } from '../src/index.ts';

const schema = z.object({ ...sharedEnv, ...transportEnv }).superRefine(transportRules);
const tls = { TLS_CERT_FILE: '/etc/tls/fullchain.pem', TLS_KEY_FILE: '/etc/tls/privkey.pem' };

test('production refuses an http:// issuer', () => {
  assert.throws(() => parseEnv(schema, { NODE_ENV: 'production', AUTH_ISSUER: 'http://auth.example.com', ...tls }), /invalid configuration: AUTH_ISSUER: must be an https:\/\/ URL in production$/);
});

test('production refuses to run without a certificate unless a TLS-terminating proxy is declared', () => {
  const env = { NODE_ENV: 'production', AUTH_ISSUER: 'https://auth.example.com' };
  assert.throws(() => parseEnv(schema, env), /invalid configuration: TLS_CERT_FILE: required in production, unless TRUSTED_PROXIES/);
  assert.equal(parseEnv(schema, { ...env, ...tls }).TLS_CERT_FILE, tls.TLS_CERT_FILE);
  assert.deepEqual(parseEnv(schema, { ...env, TRUSTED_PROXIES: '172.30.0.2' }).TRUSTED_PROXIES, ['172.30.0.2']);
});

test('certificate and key come together; the redirect listener needs them', () => {
  assert.throws(() => parseEnv(schema, { TLS_CERT_FILE: '/c.pem' }), /invalid configuration: TLS_KEY_FILE: /);
  assert.throws(() => parseEnv(schema, { HTTP_REDIRECT_PORT: '8080' }), /invalid configuration: HTTP_REDIRECT_PORT: /);
});

test('HSTS_PRELOAD is a real boolean and HSTS_MAX_AGE at least a year', () => {
  assert.equal(parseEnv(schema, { HSTS_PRELOAD: 'true' }).HSTS_PRELOAD, true);
  assert.equal(parseEnv(schema, {}).HSTS_PRELOAD, false);
  assert.throws(() => parseEnv(schema, { HSTS_PRELOAD: 'yes please' }), /HSTS_PRELOAD/);
  assert.throws(() => parseEnv(schema, { HSTS_MAX_AGE: '86400' }), /HSTS_MAX_AGE/);
});

test('the metrics listener is off unless METRICS_PORT is set, and private by default', () => {
  assert.equal(transportOf(parseEnv(schema, {})).metrics, undefined);
  assert.deepEqual(transportOf(parseEnv(schema, { METRICS_PORT: '9464' })).metrics, { host: '127.0.0.1', port: 9464 });
});
