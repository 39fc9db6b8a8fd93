// The cache of clients on its own: what it keeps, for how long, and what a
// change heard from the mirror does to it, including to a read that was already
// running. The mirror here is the listener interface alone; revocation.test.ts
// proves that real mirrors hear changes written by another process.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClientCache } from '../src/index.ts';

function harness(ttlMs = 1_000) {
  const listeners: ((clientId: string) => void)[] = [];
  const mirror = { onClientChange: (l: (clientId: string) => void) => { listeners.push(l); } };
  let clock = 0;
  let version = 0;
  const reads: string[] = [];
  let gate: Promise<void> | undefined;
  const cache = createClientCache(mirror, async (clientId) => {
    reads.push(clientId);
    const seen = version;
    await gate;
    return `${clientId}@${seen}`;
  }, { ttlMs, now: () => clock });
  return {
    cache,
    reads,
    change(clientId: string) { version += 1; for (const l of listeners) l(clientId); },
    advance(ms: number) { clock += ms; },
    hold() { let open!: () => void; gate = new Promise((r) => { open = r; }); return () => { gate = undefined; open(); }; },
  };
}

test('serves a client from memory until its time is up, then reads it again', async () => {
  const h = harness(1_000);
  assert.equal(await h.cache.get('ck_a'), 'ck_a@0');
  h.advance(999);
  assert.equal(await h.cache.get('ck_a'), 'ck_a@0');
  assert.equal(h.reads.length, 1);
  h.advance(1);
  await h.cache.get('ck_a');
  assert.equal(h.reads.length, 2);
});

test('a change heard for a client makes the next request read it; other clients stay cached', async () => {
  const h = harness();
  await h.cache.get('ck_a');
  await h.cache.get('ck_b');
  h.change('ck_a');
  assert.equal(await h.cache.get('ck_a'), 'ck_a@1');
  await h.cache.get('ck_b');
  assert.deepEqual(h.reads, ['ck_a', 'ck_b', 'ck_a']);
});

test('a read running when a change is heard is answered but not kept', async () => {
  const h = harness();
  const release = h.hold();
  const running = h.cache.get('ck_a'); // reads the row as it was before the change
  h.change('ck_a');
  release();
  assert.equal(await running, 'ck_a@0');
  assert.equal(await h.cache.get('ck_a'), 'ck_a@1', 'the stale read was not cached');
});

test('concurrent misses for one client share one read; after a change, later callers do not join it', async () => {
  const h = harness();
  const release = h.hold();
  const first = [h.cache.get('ck_a'), h.cache.get('ck_a'), h.cache.get('ck_a')];
  h.change('ck_a');
  const later = h.cache.get('ck_a');
  release();
  assert.deepEqual(await Promise.all(first), ['ck_a@0', 'ck_a@0', 'ck_a@0']);
  assert.equal(await later, 'ck_a@1');
  assert.equal(h.reads.length, 2);
});

test('`fresh` always reads, and a failed read is neither cached nor shared with the next caller', async () => {
  const listeners: ((id: string) => void)[] = [];
  let fail = true;
  let reads = 0;
  const cache = createClientCache({ onClientChange: (l) => { listeners.push(l); } }, async () => {
    reads += 1;
    if (fail) throw new Error('database down');
    return 'row';
  }, { ttlMs: 60_000 });
  await assert.rejects(cache.get('ck_a'), /database down/);
  fail = false;
  assert.equal(await cache.get('ck_a'), 'row');
  await cache.get('ck_a', { fresh: true });
  assert.equal(reads, 3);
});

test('holds at most maxEntries clients, the oldest going first', async () => {
  let reads = 0;
  const cache = createClientCache({ onClientChange: () => {} }, async (id) => { reads += 1; return id; }, { ttlMs: 60_000, maxEntries: 2 });
  await cache.get('ck_1');
  await cache.get('ck_2');
  await cache.get('ck_3'); // ck_1 leaves
  await cache.get('ck_2');
  await cache.get('ck_3');
  assert.equal(reads, 3);
  await cache.get('ck_1');
  assert.equal(reads, 4);
});

test('a read running for longer than the lifetime is not joined: one stuck query does not hold every caller', async () => {
  const h = harness(1_000);
  const release = h.hold();
  const stuck = h.cache.get('ck_a');
  h.advance(1_000);
  const later = h.cache.get('ck_a'); // starts its own read
  release();
  await Promise.all([stuck, later]);
  assert.equal(h.reads.length, 2);
});
