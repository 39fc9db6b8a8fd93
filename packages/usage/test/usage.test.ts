// Usage counters on both stores (real Redis when REDIS_URL is set): what the
// rate-limit step counts is what the portal reads, per UTC day, per ISO week,
// and against the client's quota.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { openStore, type Store } from '@passerelle/store';
import { createUsageCounters, createUsageReader } from '../src/index.ts';

const redisUrl = process.env['REDIS_URL'];
const tiers = { basic: { dailyQuota: 10 }, standard: { dailyQuota: 1_000 }, premium: { dailyQuota: 100_000 } };

const stores: Store[] = [];
async function open(kind: 'memory' | 'redis'): Promise<Store> {
  const store = kind === 'redis'
    ? await openStore({ kind: 'redis', url: redisUrl!, keyPrefix: `passerelle-test:${randomUUID()}:` })
    : await openStore({ kind: 'memory' });
  stores.push(store);
  return store;
}
after(() => Promise.all(stores.map((s) => s.close())));

const DAY = 86_400_000;

for (const kind of ['memory', 'redis'] as const) {
  describe(`usage on the ${kind} store`, { skip: kind === 'redis' && !redisUrl ? 'REDIS_URL unset' : false }, () => {
    test('requests and rejections per UTC day, this ISO week, and the quota left today', async () => {
      const store = await open(kind);
      const counters = createUsageCounters(store);
      const usageFor = createUsageReader(store, tiers);
      const client = { clientId: `ck_${randomUUID()}`, rateTier: 'basic' as const, dailyQuota: null };
      const other = { clientId: `ck_${randomUUID()}`, rateTier: 'standard' as const, dailyQuota: 5 };
      // Sunday 2030-01-06 is in the week of Monday 2029-12-31; Wednesday 2030-01-09 in the next.
      const sunday = Date.UTC(2030, 0, 6, 12);
      const monday = sunday + DAY;
      const wednesday = sunday + 3 * DAY;
      for (let i = 0; i < 3; i += 1) await counters.countRequest(client.clientId, sunday);
      await counters.countRejection(client.clientId, sunday);
      for (let i = 0; i < 2; i += 1) await counters.countRequest(client.clientId, monday);
      for (let i = 0; i < 4; i += 1) await counters.countRequest(client.clientId, wednesday);
      await counters.countRejection(client.clientId, wednesday);
      await Promise.all([counters.countRequest(other.clientId, wednesday), counters.countRequest(other.clientId, wednesday)]);

      const [mine, theirs] = await usageFor([client, other], wednesday + 3_600_000);
      assert.deepEqual(mine!.today, { requests: 4, rejected: 1 });
      assert.deepEqual(mine!.thisWeek, { requests: 6, rejected: 1 }, 'Monday and Wednesday, not the Sunday before');
      assert.deepEqual(mine!.days.map((d) => [d.date, d.requests, d.rejected]), [
        ['2030-01-03', 0, 0], ['2030-01-04', 0, 0], ['2030-01-05', 0, 0], ['2030-01-06', 3, 1],
        ['2030-01-07', 2, 0], ['2030-01-08', 0, 0], ['2030-01-09', 4, 1],
      ]);
      assert.equal(mine!.dailyQuota, 10, 'the tier\'s quota');
      assert.equal(mine!.quotaLeft, 6);
      assert.equal(mine!.quotaRenewsAt.toISOString(), '2030-01-10T00:00:00.000Z');
      assert.equal(theirs!.dailyQuota, 5, 'the client\'s own quota');
      assert.equal(theirs!.quotaLeft, 3);
      assert.deepEqual(theirs!.today, { requests: 2, rejected: 0 });
    });

    test('a client with no traffic reads as zeros; the quota left never goes below zero', async () => {
      const store = await open(kind);
      const counters = createUsageCounters(store);
      const usageFor = createUsageReader(store, tiers);
      const idle = { clientId: `ck_${randomUUID()}`, rateTier: 'premium' as const, dailyQuota: null };
      const busy = { clientId: `ck_${randomUUID()}`, rateTier: 'basic' as const, dailyQuota: 1 };
      const now = Date.UTC(2030, 5, 5, 8);
      for (let i = 0; i < 3; i += 1) await counters.countRequest(busy.clientId, now);
      const [quiet, over] = await usageFor([idle, busy], now);
      assert.deepEqual([quiet!.today, quiet!.thisWeek, quiet!.quotaLeft], [{ requests: 0, rejected: 0 }, { requests: 0, rejected: 0 }, 100_000]);
      assert.equal(over!.quotaLeft, 0);
      assert.deepEqual(await usageFor([], now), []);
    });
  });
}
