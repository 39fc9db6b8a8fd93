// Each client's limits on both stores: the burst, the daily quota (a client's
// own or its tier's) renewing at midnight UTC, and, on Redis, the cost of a
// decision: one round trip for all three counters.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { Problem } from '@passerelle/errors';
import { openStore, type Store } from '@passerelle/store';
import { startTcpProxy } from '@passerelle/store/testing/tcp-proxy';
import { createUsageReader } from '@passerelle/usage';
import { createClientLimits } from '../src/index.ts';

const redisUrl = process.env['REDIS_URL'];
const tiers = {
  basic: { perSecond: 1, burst: 2, dailyQuota: 3 },
  standard: { perSecond: 1_000, burst: 1_000, dailyQuota: 1_000_000 },
  premium: { perSecond: 1_000, burst: 1_000, dailyQuota: 1_000_000 },
};

const stores: Store[] = [];
async function open(url?: string): Promise<Store> {
  const store = url
    ? await openStore({ kind: 'redis', url, keyPrefix: `passerelle-test:${randomUUID()}:` })
    : await openStore({ kind: 'memory' });
  stores.push(store);
  return store;
}
after(() => Promise.all(stores.map((s) => s.close())));

const refusal = (code: string) => (err: unknown) => err instanceof Problem && err.code === code;

for (const kind of ['memory', 'redis'] as const) {
  describe(`client limits on the ${kind} store`, { skip: kind === 'redis' && !redisUrl ? 'REDIS_URL unset' : false }, () => {
    test('the daily quota is the tier\'s unless the client has its own, and renews at midnight UTC', async () => {
      const store = await open(kind === 'redis' ? redisUrl : undefined);
      let now = Date.UTC(2030, 0, 1, 23, 59, 58);
      const limits = createClientLimits(store, tiers, () => now);
      const tierClient = { clientId: `ck_${randomUUID()}`, rateTier: 'standard' as const, dailyQuota: null };
      const ownQuota = { ...tierClient, clientId: `ck_${randomUUID()}`, dailyQuota: 2 };

      const headers = await limits.consume(tierClient);
      assert.match(headers['RateLimit-Policy'], /"daily";q=1000000;w=86400/);
      await limits.consume(ownQuota);
      const last = await limits.consume(ownQuota);
      assert.match(last.RateLimit, /"daily";r=0;t=2$/, 'nothing left, renewing in 2 s');
      await assert.rejects(limits.consume(ownQuota), (err: Problem) => {
        assert.equal(err.code, 'quota_exceeded');
        assert.equal(err.headers['Retry-After'], '2');
        return true;
      });

      now = Date.UTC(2030, 0, 2, 0, 0, 1);
      const renewed = await limits.consume(ownQuota);
      assert.match(renewed.RateLimit, /"daily";r=1;t=86399$/);
    });

    test('every decision is counted for the Usage page, and refusals are counted apart', async () => {
      const store = await open(kind === 'redis' ? redisUrl : undefined);
      const now = Date.UTC(2030, 0, 1, 12);
      const limits = createClientLimits(store, tiers, () => now);
      const client = { clientId: `ck_${randomUUID()}`, rateTier: 'standard' as const, dailyQuota: 2 };
      await limits.consume(client);
      await limits.consume(client);
      await assert.rejects(limits.consume(client), refusal('quota_exceeded'));
      const [usage] = await createUsageReader(store, tiers)([client], now);
      assert.deepEqual(usage!.today, { requests: 3, rejected: 1 });
      assert.equal(usage!.quotaLeft, 0);
    });

    test('a burst above the tier\'s is refused as rate_limited with the window\'s Retry-After', async () => {
      const store = await open(kind === 'redis' ? redisUrl : undefined);
      const limits = createClientLimits(store, { ...tiers, basic: { ...tiers.basic, dailyQuota: 100 } });
      const client = { clientId: `ck_${randomUUID()}`, rateTier: 'basic' as const, dailyQuota: null };
      const results = await Promise.allSettled(Array.from({ length: 6 }, () => limits.consume(client)));
      const refused = results.filter((r) => r.status === 'rejected').map((r) => r.reason as Problem);
      assert.ok(refused.length >= 2, `at most 2 in a second (4 across a window edge): ${refused.length} refused`);
      for (const err of refused) {
        assert.ok(refusal('rate_limited')(err));
        assert.match(err.headers['Retry-After'] ?? '', /^[1-9]\d*$/);
      }
    });
  });
}

describe('the cost of a decision on Redis', { skip: redisUrl ? false : 'REDIS_URL unset' }, () => {
  test('one round trip per decision, however many counters it consumes', async () => {
    const proxy = await startTcpProxy(redisUrl!);
    try {
      const store = await open(proxy.url);
      const limits = createClientLimits(store, tiers);
      const client = { clientId: `ck_${randomUUID()}`, rateTier: 'standard' as const, dailyQuota: null };
      await limits.consume(client); // loads the limiter's script on this connection
      const before = proxy.received;
      for (let i = 0; i < 20; i += 1) await limits.consume(client);
      assert.equal(proxy.received - before, 20, 'three limits and the usage counter, one write each decision');

      const concurrent = proxy.received;
      await Promise.all(Array.from({ length: 20 }, () => limits.consume(client)));
      assert.ok(proxy.received - concurrent <= 2, `concurrent decisions share writes: ${proxy.received - concurrent}`);
    } finally {
      await proxy.close();
    }
  });
});
