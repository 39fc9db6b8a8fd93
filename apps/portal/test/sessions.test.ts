// Portal sessions on the real store (Redis when REDIS_URL is set, else the
// embedded memory store): a session left idle ends, however long its absolute
// lifetime still runs; a session in use lives on, but never past that lifetime.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, test } from 'node:test';
import { openStore, type Store } from '@passerelle/store';
import { createSessions } from '../src/session/sessions.ts';

const redisUrl = process.env['REDIS_URL'];
let store: Store | undefined;
after(() => store?.close());

async function kv() {
  store ??= redisUrl ? await openStore({ kind: 'redis', url: redisUrl, keyPrefix: `passerelle-test:${randomUUID()}:` }) : await openStore({ kind: 'memory' });
  return store.kv;
}

const fields = { userId: randomUUID(), idToken: 'id' };

test('a session left idle longer than the idle timeout has ended', async () => {
  let now = Date.now();
  const sessions = createSessions(await kv(), { ttlSeconds: 8 * 3600, idleSeconds: 1800 }, () => now);
  const { handle } = await sessions.create(fields);
  now += 1799_000;
  assert.ok(await sessions.find(handle), 'used within the idle timeout');
  now += 1799_000;
  assert.ok(await sessions.find(handle), 'each use restarts the idle timeout');
  now += 1801_000;
  assert.equal(await sessions.find(handle), undefined, 'idle too long');
  now -= 1801_000;
  assert.equal(await sessions.find(handle), undefined, 'and it stays ended');
});

test('a session in use still ends at its absolute lifetime', async () => {
  let now = Date.now();
  const sessions = createSessions(await kv(), { ttlSeconds: 3600, idleSeconds: 1800 }, () => now);
  const { handle } = await sessions.create(fields);
  for (let minute = 20; minute < 60; minute += 20) {
    now += 20 * 60_000;
    assert.ok(await sessions.find(handle), `minute ${minute}`);
  }
  now += 20 * 60_000;
  assert.equal(await sessions.find(handle), undefined, 'an hour after the sign-in');
});
