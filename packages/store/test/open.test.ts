// openStore must fail fast: an app whose Redis is unreachable (or too old for
// EXPIRE NX/GT) at start-up stops with a clear error instead of hanging or
// serving requests that fail.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { once } from 'node:events';
import { openStore, StoreUnavailableError } from '../src/index.ts';
import { startOldRedis } from './support/old-redis.ts';

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => assert.fail('openStore resolved'), (err: unknown) => err);
}

describe('openStore at start-up', () => {
  test('rejects at once with StoreUnavailableError when nothing listens', async () => {
    const started = Date.now();
    const err = await rejection(openStore({ kind: 'redis', url: 'redis://127.0.0.1:1' }));
    assert.ok(err instanceof StoreUnavailableError, String(err));
    assert.equal(err.code, 'store_unavailable');
    assert.match(err.message, /redis:\/\/127\.0\.0\.1:1.*unreachable.*ECONNREFUSED/);
    assert.ok(Date.now() - started < 2_000, `took ${Date.now() - started} ms`);
  });

  test('gives up within its deadline when the server accepts but never answers', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket)).listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const { port } = silent.address() as { port: number };
    try {
      const started = Date.now();
      const err = await rejection(openStore({ kind: 'redis', url: `redis://127.0.0.1:${port}` }));
      const took = Date.now() - started;
      assert.ok(err instanceof StoreUnavailableError, String(err));
      assert.ok(took < 7_000, `took ${took} ms`);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  test('never prints the password of the Redis URL', async () => {
    const err = await rejection(openStore({ kind: 'redis', url: 'redis://user:hunter2@127.0.0.1:1/0' }));
    assert.ok(err instanceof StoreUnavailableError);
    assert.doesNotMatch(err.message, /hunter2/);
    assert.match(err.message, /user:\*\*\*@127\.0\.0\.1:1/);
  });

  test('refuses a Redis older than 7.0, which lacks EXPIRE NX and GT', async () => {
    const old = await startOldRedis('6.2.14');
    try {
      const err = await rejection(openStore({ kind: 'redis', url: old.url }));
      assert.ok(err instanceof StoreUnavailableError, String(err));
      assert.match(err.message, /version 6\.2; the store needs 7\.0 or newer/);
    } finally {
      old.server.close();
    }
  });
});
