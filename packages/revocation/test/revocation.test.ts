// The revocation list as the API relies on it: what one process writes, every
// other process's mirror refuses, including a mirror that starts later or that
// missed the broadcast; and a mirror that cannot reach the store stops vouching
// for tokens instead of letting revoked ones through. Runs on the memory store
// and, when REDIS_URL is set, on real Redis with separate connections standing
// in for separate processes.
import { randomUUID } from 'node:crypto';
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { isProblem } from '@passerelle/errors';
import { openStore, type Store } from '@passerelle/store';
import { createRevocationWriter, openRevocationMirror, type RevocationMirror } from '../src/index.ts';

const redisUrl = process.env['REDIS_URL'];

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (check()) return;
    await sleep(25);
  }
  assert.fail(`never happened: ${what}`);
}

interface Backend {
  name: string;
  /** A store as another process would open it: same keys and channels. */
  open(): Promise<Store>;
  cleanup(): Promise<void>;
}

function backends(): Backend[] {
  const memory = (): Backend => {
    let shared: Promise<Store> | undefined;
    return {
      name: 'memory',
      open: () => (shared ??= openStore({ kind: 'memory' })),
      cleanup: async () => (await shared)?.close(),
    };
  };
  const redis = (url: string): Backend => {
    const prefix = `passerelle-test:${randomUUID()}:`;
    const opened: Store[] = [];
    return {
      name: 'redis',
      async open() {
        const store = await openStore({ kind: 'redis', url, keyPrefix: prefix });
        opened.push(store);
        return store;
      },
      async cleanup() {
        await Promise.all(opened.map((s) => s.close()));
        const raw = new Redis(url);
        const keys = await raw.keys(`${prefix}*`);
        if (keys.length > 0) await raw.del(keys);
        await raw.quit();
      },
    };
  };
  return [memory(), ...(redisUrl ? [redis(redisUrl)] : [])];
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

for (const backend of backends()) {
  describe(`revocation on ${backend.name}`, () => {
    const mirrors: RevocationMirror[] = [];
    const mirror = async (options = {}) => {
      const m = await openRevocationMirror(await backend.open(), options);
      mirrors.push(m);
      return m;
    };
    after(async () => {
      await Promise.all(mirrors.map((m) => m.close()));
      await backend.cleanup();
    });

    test('a revoked jti is refused by a running mirror of another process, and other tokens are not', async () => {
      const api = await mirror();
      const writer = createRevocationWriter(await backend.open());
      const token = { jti: randomUUID(), iat: nowSeconds(), clientId: 'ck_a' };
      assert.equal(api.isRevoked(token), false);
      await writer.revokeToken({ jti: token.jti, exp: nowSeconds() + 600 });
      await until(() => api.isRevoked(token), 'the broadcast reached the mirror');
      assert.equal(api.isRevoked({ ...token, jti: randomUUID() }), false);
      assert.ok((api.stats().lastLagMs ?? Infinity) < 60_000);
    });

    test('a client "not before" refuses that client\'s tokens issued until then, not later ones nor other clients\'', async () => {
      const api = await mirror();
      const writer = createRevocationWriter(await backend.open());
      const clientId = `ck_${randomUUID()}`;
      const cutoff = nowSeconds();
      await writer.revokeClient(clientId, cutoff);
      await until(() => api.isRevoked({ jti: 'x', iat: cutoff, clientId }), 'client revocation applied');
      assert.equal(api.isRevoked({ jti: 'x', iat: cutoff - 300, clientId }), true);
      assert.equal(api.isRevoked({ jti: 'x', iat: cutoff + 1, clientId }), false);
      assert.equal(api.isRevoked({ jti: 'x', iat: cutoff, clientId: 'ck_other' }), false);
    });

    test('two changes to a client within one second both reach the listeners (caches drop twice)', async () => {
      const api = await mirror();
      const heard: string[] = [];
      const clientId = `ck_${randomUUID()}`;
      api.onClientChange((id) => { if (id === clientId) heard.push(id); });
      const writer = createRevocationWriter(await backend.open());
      const second = nowSeconds();
      await writer.revokeClient(clientId, second);
      await until(() => heard.length === 1, 'the first change was heard');
      await writer.revokeClient(clientId, second);
      await until(() => heard.length === 2, 'the second change, in the same second, was heard too');
    });

    test('a client change notice revokes nothing but reaches every listener, even when its broadcast was lost', async () => {
      const api = await mirror({ syncIntervalMs: 50 });
      const heard: string[] = [];
      api.onClientChange((id) => heard.push(id));
      const clientId = `ck_${randomUUID()}`;
      await createRevocationWriter(await backend.open()).announceClientChange(clientId);
      await until(() => heard.includes(clientId), 'the notice was heard');
      assert.equal(api.isRevoked({ jti: 'x', iat: nowSeconds() - 10, clientId }), false, 'a notice is not a revocation');

      // Written as the writer does, minus the broadcast: the next sync delivers it, once.
      const store = await backend.open();
      const silent = `ck_${randomUUID()}`;
      await store.kv.addToSet('revocation:entries', JSON.stringify({ kind: 'client-change', id: silent, until: nowSeconds() + 300, at: Date.now() }), 300);
      await store.kv.increment('revocation:version', 600);
      await until(() => heard.includes(silent), 'the sync delivered the silent notice');
      await store.kv.increment('revocation:version', 600); // the set is read again: the notice is not heard twice
      await sleep(200);
      assert.equal(heard.filter((id) => id === silent).length, 1);
    });

    test('a user "not before" refuses that user\'s tokens through any client', async () => {
      const api = await mirror();
      const writer = createRevocationWriter(await backend.open());
      const userId = randomUUID();
      const cutoff = nowSeconds();
      await writer.revokeUser(userId, cutoff);
      await until(() => api.isRevoked({ jti: 'y', iat: cutoff, clientId: 'ck_any', userId }), 'user revocation applied');
      assert.equal(api.isRevoked({ jti: 'y', iat: cutoff, clientId: 'ck_any', userId: randomUUID() }), false);
      assert.equal(api.isRevoked({ jti: 'y', iat: cutoff + 1, clientId: 'ck_any', userId }), false);
    });

    test('a mirror started after the revocation finds it at once', async () => {
      const writer = createRevocationWriter(await backend.open());
      const jti = randomUUID();
      await writer.revokeToken({ jti, exp: nowSeconds() + 600 });
      const late = await mirror();
      assert.equal(late.isRevoked({ jti, iat: nowSeconds(), clientId: 'ck_a' }), true);
    });

    test('a revocation whose broadcast was lost is picked up by the next sync', async () => {
      const api = await mirror({ syncIntervalMs: 50 });
      const store = await backend.open();
      // Written as the writer does, minus the broadcast: the set and the version only.
      const jti = randomUUID();
      await store.kv.addToSet('revocation:entries', JSON.stringify({ kind: 'token', jti, until: nowSeconds() + 600, at: Date.now() }), 600);
      await store.kv.increment('revocation:version', 600);
      await until(() => api.isRevoked({ jti, iat: nowSeconds(), clientId: 'ck_a' }), 'the sync found the silent revocation');
    });

    test('expired revocations are forgotten and pruned from the shared set', async () => {
      const store = await backend.open();
      const writer = createRevocationWriter(store);
      const jti = randomUUID();
      await writer.revokeToken({ jti, exp: nowSeconds() - 1 });
      await writer.revokeToken({ jti: randomUUID(), exp: nowSeconds() + 600 });
      const members = await store.kv.members('revocation:entries');
      assert.ok(!members.some((m) => m.includes(jti)), 'the expired entry was pruned');
      const api = await mirror();
      assert.equal(api.isRevoked({ jti, iat: nowSeconds() - 700, clientId: 'ck_a' }), false);
    });
  });
}

if (redisUrl) {
  test('a mirror that cannot reach Redis fails closed once its staleness bound has passed', async () => {
    const prefix = `passerelle-test:${randomUUID()}:`;
    const store = await openStore({ kind: 'redis', url: redisUrl, keyPrefix: prefix }, { onError: () => {} });
    let clock = Date.now();
    const api = await openRevocationMirror(store, { syncIntervalMs: 20, maxStalenessMs: 5_000, now: () => clock });
    const token = { jti: randomUUID(), iat: Math.floor(clock / 1000), clientId: 'ck_a' };
    assert.equal(api.isRevoked(token), false);
    await store.close(); // every later sync fails: the mirror can no longer learn of revocations
    await sleep(100);
    clock += 4_000;
    assert.equal(api.isRevoked(token), false, 'within the bound the last known list still answers');
    clock += 2_000;
    assert.throws(() => api.isRevoked(token), (err) => isProblem(err) && err.status === 503 && err.code === 'service_unavailable');
    await api.close().catch(() => {});
  });
}
