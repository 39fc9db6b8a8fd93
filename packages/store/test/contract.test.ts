// The contract both stores keep: the same cases, run against process memory
// always and against the real Redis at REDIS_URL when it is set. Consumers rely
// on exactly this (single-use codes, replay nonces, grant indexes, the
// revocation broadcast, rate limits), so a mode cannot quietly differ.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimiterRes } from 'rate-limiter-flexible';
import type { Store } from '../src/index.ts';
import { contractTargets, redisUrl } from './support/targets.ts';
import { waitFor } from './support/wait.ts';

const targets = contractTargets();
console.log(`store contract targets: ${targets.map((t) => t.name).join(', ')}${redisUrl ? '' : ' (REDIS_URL unset: redis skipped)'}`);

const twenty = <T>(run: (i: number) => Promise<T>) => Promise.all(Array.from({ length: 20 }, (_, i) => run(i)));

for (const target of targets) {
  describe(`store contract on ${target.name}`, () => {
    let store: Store;
    const errors: Error[] = [];
    before(async () => {
      store = await target.open({ onError: (err) => errors.push(err) });
    });
    after(() => target.cleanup());

    test(`opens as kind "${target.name}" and answers ping`, async () => {
      assert.equal(store.kind, target.name);
      await store.ping();
    });

    describe('key-value', () => {
      test('get returns what set stored, and undefined for a missing key', async () => {
        await store.kv.set('kv:plain', 'value');
        assert.equal(await store.kv.get('kv:plain'), 'value');
        assert.equal(await store.kv.get('kv:missing'), undefined);
        assert.equal(await store.kv.exists('kv:plain'), true);
        assert.equal(await store.kv.exists('kv:missing'), false);
      });

      test('getMany answers in the order asked, with undefined for missing keys', async () => {
        await store.kv.set('kv:many:a', 'A');
        await store.kv.set('kv:many:c', 'C');
        assert.deepEqual(await store.kv.getMany(['kv:many:c', 'kv:many:b', 'kv:many:a']), ['C', undefined, 'A']);
        assert.deepEqual(await store.kv.getMany([]), []);
      });

      test('ttl reports remaining seconds rounded up; undefined without expiry or key', async () => {
        await store.kv.set('kv:ttl', 'v', 100);
        await store.kv.set('kv:ttl:short', 'v', 0.2);
        await store.kv.set('kv:ttl:none', 'v');
        const ttl = await store.kv.ttl('kv:ttl');
        assert.ok(ttl !== undefined && ttl > 98 && ttl <= 100, `ttl ${ttl}`);
        assert.equal(await store.kv.ttl('kv:ttl:short'), 1, 'a live key never reports 0');
        assert.equal(await store.kv.ttl('kv:ttl:none'), undefined);
        assert.equal(await store.kv.ttl('kv:ttl:missing'), undefined);
      });

      test('set without a ttl drops an earlier expiry; set with one replaces it', async () => {
        await store.kv.set('kv:reset', 'first', 100);
        await store.kv.set('kv:reset', 'second');
        assert.equal(await store.kv.ttl('kv:reset'), undefined);
        await store.kv.set('kv:reset', 'third', 50);
        const ttl = await store.kv.ttl('kv:reset');
        assert.ok(ttl !== undefined && ttl <= 50, `ttl ${ttl}`);
        assert.equal(await store.kv.get('kv:reset'), 'third');
      });

      test('refuses a ttl that is zero, negative or not a number', async () => {
        for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
          await assert.rejects(store.kv.set('kv:bad', 'v', bad), RangeError);
          await assert.rejects(store.kv.setIfAbsent('kv:bad', 'v', bad), RangeError);
          await assert.rejects(store.kv.addToSet('kv:bad:set', 'm', bad), RangeError);
          await assert.rejects(store.kv.increment('kv:bad:n', bad), RangeError);
        }
        assert.equal(await store.kv.exists('kv:bad'), false);
      });

      test('keys expire after their ttl: values, nonces, counters and sets alike', async () => {
        await store.kv.set('kv:exp:value', 'v', 1);
        await store.kv.setIfAbsent('kv:exp:nonce', 'first', 1);
        await store.kv.increment('kv:exp:count', 1);
        await store.kv.addToSet('kv:exp:set', 'member', 1);
        await store.kv.set('kv:exp:kept', 'v', 60);
        await target.elapse(1_100);
        assert.equal(await store.kv.get('kv:exp:value'), undefined);
        assert.equal(await store.kv.exists('kv:exp:value'), false);
        assert.deepEqual(await store.kv.members('kv:exp:set'), []);
        assert.equal(await store.kv.setIfAbsent('kv:exp:nonce', 'second', 60), true, 'an expired nonce can be created again');
        assert.equal(await store.kv.increment('kv:exp:count', 60), 1, 'an expired counter restarts');
        assert.equal(await store.kv.get('kv:exp:kept'), 'v');
      });

      test('setIfAbsent lets exactly one of 20 concurrent callers create the key', async () => {
        const created = await twenty((i) => store.kv.setIfAbsent('kv:once', `caller-${i}`, 60));
        assert.equal(created.filter(Boolean).length, 1);
        assert.equal(await store.kv.get('kv:once'), `caller-${created.indexOf(true)}`);
        assert.equal(await store.kv.setIfAbsent('kv:once', 'late', 60), false);
      });

      test('take hands the value to exactly one of 20 concurrent callers, then the key is gone', async () => {
        await store.kv.set('kv:code', 'authorization-code', 60);
        const taken = await twenty(() => store.kv.take('kv:code'));
        assert.deepEqual(taken.filter((v) => v !== undefined), ['authorization-code']);
        assert.equal(await store.kv.exists('kv:code'), false);
        assert.equal(await store.kv.take('kv:code'), undefined);
      });

      test('delete removes several keys at once, of any kind, and accepts none', async () => {
        await store.kv.set('kv:del:a', 'a');
        await store.kv.set('kv:del:b', 'b', 60);
        await store.kv.addToSet('kv:del:set', 'm', 60);
        await store.kv.delete('kv:del:a', 'kv:del:b', 'kv:del:set', 'kv:del:missing');
        await store.kv.delete();
        assert.deepEqual(await store.kv.getMany(['kv:del:a', 'kv:del:b']), [undefined, undefined]);
        assert.equal(await store.kv.exists('kv:del:set'), false);
      });

      test('removeFromSet drops the named members, and an emptied set is gone', async () => {
        await store.kv.addToSet('kv:prune', 'a', 60);
        await store.kv.addToSet('kv:prune', 'b', 60);
        await store.kv.addToSet('kv:prune', 'c', 60);
        await store.kv.removeFromSet('kv:prune', 'a', 'c', 'never-there');
        assert.deepEqual(await store.kv.members('kv:prune'), ['b']);
        await store.kv.removeFromSet('kv:prune', 'b');
        assert.equal(await store.kv.exists('kv:prune'), false);
        await store.kv.removeFromSet('kv:prune:missing', 'x');
        await store.kv.set('kv:prune:str', 'v');
        await assert.rejects(store.kv.removeFromSet('kv:prune:str', 'v'), /WRONGTYPE/);
      });

      test('addToSet collects distinct members and only ever extends the set ttl', async () => {
        await store.kv.addToSet('kv:grant', 'oidc:AccessToken:1', 10);
        await store.kv.addToSet('kv:grant', 'oidc:RefreshToken:2', 100);
        await store.kv.addToSet('kv:grant', 'oidc:AccessToken:1', 5);
        assert.deepEqual((await store.kv.members('kv:grant')).sort(), ['oidc:AccessToken:1', 'oidc:RefreshToken:2']);
        const ttl = await store.kv.ttl('kv:grant');
        assert.ok(ttl !== undefined && ttl > 95 && ttl <= 100, `extended to 100, not shortened to 5: ttl ${ttl}`);
        assert.deepEqual(await store.kv.members('kv:grant:missing'), []);
      });

      test('a set read as a string fails, as Redis answers WRONGTYPE', async () => {
        await store.kv.addToSet('kv:typed', 'm', 60);
        await assert.rejects(store.kv.get('kv:typed'), /WRONGTYPE/);
        assert.deepEqual(await store.kv.getMany(['kv:typed']), [undefined], 'as MGET: absent, not an error');
        await store.kv.set('kv:typed:str', 'v', 60);
        await assert.rejects(store.kv.members('kv:typed:str'), /WRONGTYPE/);
      });

      test('increment counts from 1 and keeps the expiry of its first call', async () => {
        assert.equal(await store.kv.increment('kv:count', 30), 1);
        assert.equal(await store.kv.increment('kv:count', 300), 2);
        assert.equal(await store.kv.get('kv:count'), '2');
        const ttl = await store.kv.ttl('kv:count');
        assert.ok(ttl !== undefined && ttl <= 30, `window not pushed back: ttl ${ttl}`);
      });

      test('increment gives 20 concurrent callers 20 distinct counts', async () => {
        const counts = await twenty(() => store.kv.increment('kv:count:race', 60));
        assert.deepEqual(counts.sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i + 1));
      });
    });

    describe('pub/sub', () => {
      test('delivers to every subscriber of the channel, never inside the publish call', async () => {
        const first: string[] = [];
        const second: string[] = [];
        const stopFirst = await store.pubsub.subscribe('revocations', (m) => first.push(m));
        const stopSecond = await store.pubsub.subscribe('revocations', (m) => second.push(m));
        const published = store.pubsub.publish('revocations', 'jti-1');
        assert.deepEqual(first, [], 'a subscriber never runs inside the publisher\'s call stack');
        await published;
        await waitFor(() => first.length === 1 && second.length === 1, 'both subscribers');
        assert.deepEqual([first, second], [['jti-1'], ['jti-1']]);
        await stopFirst();
        await stopSecond();
      });

      test('stops delivering once unsubscribed, and other channels stay silent', async () => {
        const stopped: string[] = [];
        const listening: string[] = [];
        const elsewhere: string[] = [];
        const stop = await store.pubsub.subscribe('chan:a', (m) => stopped.push(m));
        const stopListening = await store.pubsub.subscribe('chan:a', (m) => listening.push(m));
        const stopElsewhere = await store.pubsub.subscribe('chan:b', (m) => elsewhere.push(m));
        await stop();
        await store.pubsub.publish('chan:a', 'one');
        await store.pubsub.publish('chan:a', 'two');
        await waitFor(() => listening.length === 2, 'the remaining subscriber');
        assert.deepEqual(listening, ['one', 'two'], 'in publish order');
        assert.deepEqual(stopped, []);
        assert.deepEqual(elsewhere, []);
        await stopListening();
        await stopElsewhere();
      });

      test('a throwing subscriber goes to onError and does not stop the others', async () => {
        const received: string[] = [];
        const stopThrowing = await store.pubsub.subscribe('chan:faulty', () => {
          throw new Error('subscriber bug');
        });
        const stop = await store.pubsub.subscribe('chan:faulty', (m) => received.push(m));
        await store.pubsub.publish('chan:faulty', 'hello');
        await waitFor(() => received.length === 1, 'the healthy subscriber');
        assert.ok(errors.some((err) => err.message === 'subscriber bug'));
        await stopThrowing();
        await stop();
      });
    });

    describe('rate limiter', () => {
      test('consume allows `points` calls per window, then rejects with msBeforeNext', async () => {
        const limiter = store.limiter({ keyPrefix: 'rl:contract', points: 3, duration: 60 });
        for (let i = 0; i < 3; i++) {
          const res = await limiter.consume('client-1');
          assert.equal(res.remainingPoints, 2 - i);
        }
        const rejected: unknown = await limiter.consume('client-1').then(() => undefined, (err: unknown) => err);
        assert.ok(rejected instanceof RateLimiterRes, `rejects with RateLimiterRes, got ${String(rejected)}`);
        assert.equal(rejected.remainingPoints, 0);
        assert.ok(rejected.msBeforeNext > 0 && rejected.msBeforeNext <= 60_000, `msBeforeNext ${rejected.msBeforeNext}`);
        assert.equal((await limiter.consume('client-2')).remainingPoints, 2, 'keys are limited apart');
      });

      test('blockDuration blocks the key past the window', async () => {
        const limiter = store.limiter({ keyPrefix: 'rl:block', points: 1, duration: 1, blockDuration: 120 });
        await limiter.consume('client');
        const rejected: unknown = await limiter.consume('client').then(() => undefined, (err: unknown) => err);
        assert.ok(rejected instanceof RateLimiterRes);
        assert.ok(rejected.msBeforeNext > 60_000, `blocked for blockDuration: ${rejected.msBeforeNext}`);
      });

      test('two limiters with the same options count together, as two processes on one Redis do', async () => {
        const options = { keyPrefix: 'rl:twice', points: 5, duration: 60 };
        await store.limiter(options).consume('client', 2);
        const other = store.limiter(options);
        assert.equal((await other.get('client'))?.consumedPoints, 2);
        assert.equal((await other.consume('client')).consumedPoints, 3);
      });

      test('refuses windows that are not whole seconds >= 1', () => {
        assert.throws(() => store.limiter({ keyPrefix: 'rl:bad', points: 3, duration: 0 }), RangeError);
        assert.throws(() => store.limiter({ keyPrefix: 'rl:bad', points: 3, duration: 0.5 }), RangeError);
        assert.throws(() => store.limiter({ keyPrefix: 'rl:bad', points: 0, duration: 1 }), RangeError);
      });
    });
  });
}
