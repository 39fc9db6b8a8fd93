// What the services rely on from an open database, on every target in the table
// (support/targets.ts): it opens migrated, answers ping, and surfaces Prisma's
// own error codes, so code written against one engine holds on the other.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase, Prisma, type Database } from '../src/index.ts';
import { describeTargets, testTargets, type FreshDatabase } from './support/targets.ts';

console.log(`db contract targets: ${describeTargets()}`);

interface Case {
  name: string;
  run(db: Database, fresh: FreshDatabase): Promise<void>;
}

const cases: Case[] = [
  {
    name: 'opens migrated, reports its kind, and answers ping',
    async run(db, { target }) {
      assert.equal(db.kind, target.kind === 'postgres' ? 'postgres' : 'pglite');
      await db.ping();
      assert.equal(await db.prisma.partner.count(), 0);
    },
  },
  {
    name: 'a unique violation surfaces as Prisma P2002',
    async run(db) {
      await db.prisma.partner.create({ data: { slug: 'acme', name: 'Acme' } });
      await assert.rejects(db.prisma.partner.create({ data: { slug: 'acme', name: 'Acme again' } }), (error: unknown) => {
        assert.ok(error instanceof Prisma.PrismaClientKnownRequestError, String(error));
        assert.equal(error.code, 'P2002');
        return true;
      });
    },
  },
  {
    name: 'enums, arrays, JSON and relations round-trip',
    async run(db) {
      const partner = await db.prisma.partner.create({ data: { slug: 'globex', name: 'Globex' } });
      await db.prisma.client.create({
        data: {
          clientId: 'ck_1',
          partnerId: partner.id,
          name: 'backend',
          secretHash: 'x',
          allowedScopes: ['read', 'write'],
          grantTypes: ['client_credentials'],
          redirectUris: [],
          rateTier: 'premium',
        },
      });
      await db.prisma.auditEvent.create({ data: { actorType: 'cli', actorId: 'op', action: 'client.create', outcome: 'ok', diff: { name: ['', 'backend'] } } });
      const loaded = await db.prisma.partner.findUniqueOrThrow({ where: { slug: 'globex' }, include: { clients: true } });
      assert.deepEqual(loaded.clients.map((c) => [c.allowedScopes, c.rateTier, c.status]), [[['read', 'write'], 'premium', 'active']]);
      const event = await db.prisma.auditEvent.findFirstOrThrow();
      assert.deepEqual(event.diff, { name: ['', 'backend'] });
    },
  },
  {
    name: 'close is idempotent',
    async run(db) {
      await Promise.all([db.close(), db.close()]);
      await db.close();
    },
  },
];

for (const testCase of cases) {
  for (const target of testTargets) {
    test(`${target.name}: ${testCase.name}`, { skip: target.skip }, async () => {
      const fresh = await target.fresh();
      try {
        const db = await openDatabase(fresh.target, { migrate: true });
        try {
          await testCase.run(db, fresh);
        } finally {
          await db.close();
        }
      } finally {
        await fresh.drop();
      }
    });
  }
}

test('postgres (no server needed): an unreachable server fails at open, not at the first request', async () => {
  await assert.rejects(openDatabase({ kind: 'postgres', url: 'postgres://postgres@127.0.0.1:1/none' }));
});

test('pglite-memory: opens empty and migrated, with nothing left on disk', async () => {
  const db = await openDatabase({ kind: 'pglite-memory' }, { migrate: true });
  try {
    assert.equal(db.kind, 'pglite');
    await db.ping();
    assert.equal(await db.prisma.signingKey.count(), 0);
  } finally {
    await db.close();
  }
});
