// After start-up the store must ride out a Redis outage: errors reach onError
// instead of crashing the process, a command fails promptly instead of
// hanging the request, limits fall back to per-process memory, and ioredis
// reconnects (and resubscribes) on its own once Redis is back.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { openStore } from '../src/index.ts';
import { redisTarget, redisUrl } from './support/targets.ts';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts';
import { waitFor } from './support/wait.ts';

const target = redisUrl ? redisTarget(redisUrl) : undefined;

describe('Redis store through an outage', { skip: redisUrl ? false : 'REDIS_URL unset' }, () => {
  let proxy: TcpProxy | undefined;
  after(async () => {
    await proxy?.close();
    await target?.cleanup();
  });

  test('reports errors, fails fast, limits from memory, then recovers with its subscriptions', async () => {
    proxy = await startTcpProxy(redisUrl!);
    const errors: Error[] = [];
    const proxied = await openStore({ kind: 'redis', url: proxy.url, keyPrefix: target!.prefix! }, { onError: (err) => errors.push(err) });
    const limiter = proxied.limiter({ keyPrefix: 'rl:outage', points: 1, duration: 60 });
    const heard: string[] = [];
    await proxied.pubsub.subscribe('events', (m) => heard.push(m));
    await proxied.kv.set('outage:before', 'v', 60);

    proxy.cut();
    await waitFor(() => errors.length > 0, 'onError to hear of the outage');
    const started = Date.now();
    await assert.rejects(proxied.kv.get('outage:before'));
    assert.ok(Date.now() - started < 3_000, `a command failed within ${Date.now() - started} ms, not hanging`);
    await limiter.consume('client');
    const rejected: unknown = await limiter.consume('client').then(() => undefined, (err: unknown) => err);
    assert.ok(rejected instanceof RateLimiterRes, 'the insurance limiter still limits');

    proxy.restore();
    await waitFor(async () => (await proxied.kv.get('outage:before').catch(() => undefined)) === 'v', 'reconnection', 15_000);
    const publisher = await target!.open();
    await waitFor(async () => {
      await publisher.pubsub.publish('events', 'after');
      return heard.includes('after');
    }, 'resubscription', 15_000);
    await proxied.close();
  });
});
