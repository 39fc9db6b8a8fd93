// What only the Redis store has to prove: several processes (here, several
// Store instances, each with its own connections) share state and broadcasts
// under one key prefix and never meet another prefix's; everything the store
// writes, rate-limiter keys included, lives under its prefix; and a limiter
// falls back to per-process limits when Redis is not there.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { redisTarget, redisUrl } from './support/targets.ts';
import { waitFor } from './support/wait.ts';

const target = redisUrl ? redisTarget(redisUrl) : undefined;

describe('Redis store shared by several processes', { skip: redisUrl ? false : 'REDIS_URL unset' }, () => {
  after(() => target?.cleanup());

  test('a message published by one store reaches another on the same prefix, never one on another prefix', async () => {
    const publisher = await target!.open();
    const sameDeployment = await target!.open();
    const otherDeployment = await target!.open({ prefix: target!.freshPrefix() });
    const same: string[] = [];
    const other: string[] = [];
    await sameDeployment.pubsub.subscribe('revocations', (m) => same.push(m));
    await otherDeployment.pubsub.subscribe('revocations', (m) => other.push(m));

    await publisher.pubsub.publish('revocations', 'jti-1');
    await waitFor(() => same.length === 1, 'the store on the same prefix');
    // Published after jti-1 was delivered: had the other prefix heard jti-1,
    // it would have arrived before this marker on its subscriber connection.
    await otherDeployment.pubsub.publish('revocations', 'marker');
    await waitFor(() => other.length === 1, 'the marker');
    assert.deepEqual(same, ['jti-1']);
    assert.deepEqual(other, ['marker']);
  });

  test('stores on the same prefix share keys; another prefix sees none of them', async () => {
    const auth = await target!.open();
    const api = await target!.open();
    const other = await target!.open({ prefix: target!.freshPrefix() });
    await auth.kv.set('revocation:jti:abc', '1', 60);
    assert.equal(await api.kv.exists('revocation:jti:abc'), true);
    assert.equal(await other.kv.exists('revocation:jti:abc'), false);
    assert.equal(await api.kv.take('revocation:jti:abc'), '1');
    assert.equal(await auth.kv.get('revocation:jti:abc'), undefined);
  });

  test('every key the store writes, rate-limiter keys included, lives under its prefix', async () => {
    const store = await target!.open();
    const token = randomUUID();
    await store.kv.set(`${token}:value`, 'v', 60);
    await store.kv.setIfAbsent(`${token}:nonce`, 'v', 60);
    await store.kv.addToSet(`${token}:set`, 'm', 60);
    await store.kv.increment(`${token}:count`, 60);
    await store.limiter({ keyPrefix: `${token}:rl`, points: 5, duration: 60 }).consume('client');

    const written: string[] = [];
    for await (const batch of target!.raw!.scanStream({ match: `*${token}*`, count: 1_000 })) written.push(...(batch as string[]));
    assert.equal(written.length, 5, written.join(', '));
    for (const key of written) assert.ok(key.startsWith(target!.prefix!), `${key} is under ${target!.prefix}`);
    assert.ok(written.includes(`${target!.prefix}${token}:rl:client`));
  });

  test('a limiter whose Redis connection is gone limits per process, from memory', async () => {
    const store = await target!.open();
    const limiter = store.limiter({ keyPrefix: 'rl:insured', points: 2, duration: 60 });
    await store.close();
    const started = Date.now();
    assert.equal((await limiter.consume('client')).remainingPoints, 1);
    assert.equal((await limiter.consume('client')).remainingPoints, 0);
    const rejected: unknown = await limiter.consume('client').then(() => undefined, (err: unknown) => err);
    assert.ok(rejected instanceof RateLimiterRes, `rejects with RateLimiterRes, got ${String(rejected)}`);
    assert.ok(Date.now() - started < 500, 'decided at once, not queued behind a reconnect');
  });
});
