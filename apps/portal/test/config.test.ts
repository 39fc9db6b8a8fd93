// The portal's settings: HTTPS decides the cookies, production refuses plain
// HTTP, and shared mode refuses to start without its secrets.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '@passerelle/config';
import { loadPortalConfig } from '../src/config.ts';
import { cookieNames, cookieOptions } from '../src/session/cookies.ts';

const shared = {
  DATABASE_URL: 'postgres://p@db/x', REDIS_URL: 'redis://r:6379', SIGNATURE_MASTER_KEY: Buffer.alloc(32, 1).toString('base64url'),
  PORTAL_CLIENT_SECRET: 's'.repeat(43), PORTAL_COOKIE_KEY: 'k'.repeat(43), SIGNING_KEY_ENCRYPTION_KEY: Buffer.alloc(32, 2).toString('base64url'),
};

test('over HTTPS every portal cookie is Secure and __Host- prefixed; over HTTP (development) neither', () => {
  const secure = loadPortalConfig({ ...shared, PORTAL_URL: 'https://portal.example.com', TRUSTED_PROXIES: '10.0.0.1' });
  assert.equal(secure.secureCookies, true);
  assert.deepEqual(Object.values(cookieNames(true)).map((n) => n.startsWith('__Host-')), [true, true, true]);
  assert.deepEqual(cookieOptions(true), { httpOnly: true, secure: true, sameSite: 'lax', path: '/', signed: false, overwrite: true });
  assert.equal(loadPortalConfig({ ...shared, PORTAL_URL: 'http://localhost:4002' }).secureCookies, false);
  assert.ok(!cookieNames(false).session.startsWith('__Host-'));
});

test('production refuses a plain-HTTP portal URL, and shared mode each missing secret', () => {
  assert.throws(() => loadPortalConfig({ ...shared, NODE_ENV: 'production', AUTH_ISSUER: 'https://auth.example.com', TRUSTED_PROXIES: '10.0.0.1', PORTAL_URL: 'http://portal.example.com' }),
    (err: unknown) => err instanceof ConfigError && err.variable === 'PORTAL_URL');
  for (const name of ['PORTAL_CLIENT_SECRET', 'PORTAL_COOKIE_KEY', 'SIGNATURE_MASTER_KEY', 'SIGNING_KEY_ENCRYPTION_KEY'] as const) {
    const env: Record<string, string> = { ...shared };
    delete env[name];
    assert.throws(() => loadPortalConfig(env), (err: unknown) => err instanceof ConfigError && err.variable === name, name);
  }
  assert.throws(() => loadPortalConfig({ ...shared, PORTAL_URL: 'https://portal.example.com' }),
    (err: unknown) => err instanceof ConfigError && err.variable === 'PORTAL_URL' && /TLS_CERT_FILE/.test(err.message), 'https with neither TLS nor a proxy');
  assert.throws(() => loadPortalConfig({ ...shared, PORTAL_CLIENT_SECRET: 'short' }), (err: unknown) => err instanceof ConfigError && err.variable === 'PORTAL_CLIENT_SECRET');
});
