import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, parseEnv, port, sharedEnv, storageOf, storagePairing, z } from '../src/index.ts';

const schema = z.object({ ...sharedEnv, PORT: port(4000) }).superRefine(storagePairing);

test('defaults apply and the result is frozen', () => {
  const config = parseEnv(schema, {});
  assert.equal(config.PORT, 4000);
  assert.equal(config.NODE_ENV, 'development');
  assert.throws(() => { (config as { PORT: number }).PORT = 1; }, TypeError);
});

test('a bad value names the variable in one line', () => {
  assert.throws(() => parseEnv(schema, { PORT: 'eighty' }), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.equal(err.variable, 'PORT');
    assert.match(err.message, /^invalid configuration: PORT: /);
    assert.ok(!err.message.includes('\n'));
    return true;
  });
});

test('DATABASE_URL without REDIS_URL is refused, naming the missing one', () => {
  assert.throws(() => parseEnv(schema, { DATABASE_URL: 'postgres://localhost/db' }), /REDIS_URL: /);
  assert.throws(() => parseEnv(schema, { REDIS_URL: 'redis://localhost' }), /DATABASE_URL: /);
});

test('a non-postgres DATABASE_URL is refused', () => {
  assert.throws(() => parseEnv(schema, { DATABASE_URL: 'mysql://x/y', REDIS_URL: 'redis://localhost' }), /DATABASE_URL: expected a postgres/);
});

test('empty strings count as unset', () => {
  assert.equal(parseEnv(schema, { PORT: '' }).PORT, 4000);
});

test('both URLs select the shared mode, neither the embedded mode', () => {
  const shared = storageOf(parseEnv(schema, { DATABASE_URL: 'postgres://h/db', REDIS_URL: 'redis://h:6379' }));
  assert.equal(shared.mode, 'shared');
  const embedded = storageOf(parseEnv(schema, { PASSERELLE_DATA_DIR: '/tmp/x' }));
  assert.deepEqual(embedded, { mode: 'embedded', dataDir: '/tmp/x' });
});

test('TRUSTED_PROXIES is off by default and takes addresses or CIDR ranges, IPv4 and IPv6', () => {
  assert.deepEqual([...parseEnv(schema, {}).TRUSTED_PROXIES], []);
  assert.deepEqual([...parseEnv(schema, { TRUSTED_PROXIES: '10.0.0.0/8, fd00::/8,192.0.2.1' }).TRUSTED_PROXIES], ['10.0.0.0/8', 'fd00::/8', '192.0.2.1']);
  assert.throws(() => parseEnv(schema, { TRUSTED_PROXIES: '10.0.0.0/8,proxy.internal' }), /TRUSTED_PROXIES\.1: not an IP address or CIDR range: proxy\.internal/);
});
