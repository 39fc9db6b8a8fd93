// The lockout behind both failure limits (per IP, per consumer-key), on the
// memory store and, when REDIS_URL is set, on Redis shared by two "processes".
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { openStore, type Store } from '@passerelle/store';
import { createFailureGate } from '../src/index.ts';

const redisUrl = process.env['REDIS_URL'];
const targets: { name: string; open: () => Promise<[Store, Store]> }[] = [
  { name: 'memory', open: async () => { const s = await openStore({ kind: 'memory' }); return [s, s]; } },
  ...(redisUrl ? [{
    name: 'redis',
    open: async (): Promise<[Store, Store]> => {
      const keyPrefix = `test-gate-${randomUUID()}:`;
      return [await openStore({ kind: 'redis', url: redisUrl, keyPrefix }), await openStore({ kind: 'redis', url: redisUrl, keyPrefix })];
    },
  }] : []),
];

for (const target of targets) {
  describe(`failure gate on ${target.name}`, () => {
    const opened: Store[] = [];
    after(() => Promise.all([...new Set(opened)].map((s) => s.close())));
    const gates = async (limit: number, lockoutSeconds = 60) => {
      const stores = await target.open();
      opened.push(...stores);
      return stores.map((store) => createFailureGate(
        store.limiter({ keyPrefix: 'fail', points: limit, duration: 60, blockDuration: lockoutSeconds }), lockoutSeconds,
      ));
    };

    test('the failure that reaches the limit locks the key out, for the lockout duration, and only that key', async () => {
      const [gate] = await gates(3, 120);
      assert.equal(await gate!.fail('a'), false);
      assert.equal(await gate!.fail('a'), false);
      assert.equal(gate!.lockedFor('a'), undefined);
      assert.equal(await gate!.fail('a'), true);
      const retryAfter = gate!.lockedFor('a');
      assert.ok(retryAfter !== undefined && retryAfter > 60 && retryAfter <= 120, `retry after ${retryAfter}`);
      assert.equal(gate!.lockedFor('b'), undefined);
    });

    // Only Redis is shared between processes (the memory store is one process's).
    if (target.name !== 'memory') test('another process learns of the lock at the next failure it sees for that key', async () => {
      const [first, second] = await gates(2);
      await first!.fail('k');
      assert.equal(await first!.fail('k'), true);
      assert.equal(second!.lockedFor('k'), undefined, 'not known there yet');
      assert.equal(await second!.fail('k'), false, 'not a new lockout');
      assert.ok(second!.lockedFor('k')! > 0);
    });
  });
}
