// Migrations behave the same on PostgreSQL and PGlite, and as `prisma migrate
// deploy` would: each case runs against every target in the table (see
// support/targets.ts), on a fresh database that is dropped afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { applyMigrations, MigrationError, openDatabase, type DatabaseTarget } from '../src/index.ts';
import { migrationsDir, repoRoot } from '../src/paths.ts';
import { copyOfMigrations } from './support/migrations-dir.ts';
import { describeTargets, testTargets, type FreshDatabase, type TestTarget } from './support/targets.ts';

console.log(`db migration targets: ${describeTargets()}`);

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  logs: string | null;
  applied_steps_count: number;
}

async function migrationRows(target: DatabaseTarget): Promise<MigrationRow[]> {
  const db = await openDatabase(target);
  try {
    return await db.prisma.$queryRawUnsafe<MigrationRow[]>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at, logs, applied_steps_count FROM _prisma_migrations ORDER BY started_at',
    );
  } finally {
    await db.close();
  }
}

async function committedMigrations(): Promise<{ name: string; checksum: string }[]> {
  const names = (await readdir(migrationsDir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return Promise.all(
    names.map(async (name) => ({
      name,
      checksum: createHash('sha256').update(await readFile(join(migrationsDir, name, 'migration.sql'))).digest('hex'),
    })),
  );
}

const run = promisify(execFile);

interface Case {
  name: string;
  only?: TestTarget['name'];
  run(db: FreshDatabase): Promise<void>;
}

const cases: Case[] = [
  {
    name: 'applies the committed migrations to a fresh database, recorded as Prisma records them',
    async run({ target }) {
      const committed = await committedMigrations();
      assert.ok(committed.length > 0, 'prisma/migrations holds at least the initial migration');
      const { applied } = await applyMigrations(target);
      assert.deepEqual(applied, committed.map((m) => m.name));

      const rows = await migrationRows(target);
      assert.deepEqual(rows.map((r) => [r.migration_name, r.checksum]), committed.map((m) => [m.name, m.checksum]));
      for (const row of rows) {
        assert.ok(row.finished_at instanceof Date, `${row.migration_name} finished`);
        assert.equal(row.rolled_back_at, null);
        assert.equal(row.logs, null);
        assert.equal(Number(row.applied_steps_count), 1);
      }
    },
  },
  {
    name: 'applying again is a no-op',
    async run({ target }) {
      const lines: string[] = [];
      await applyMigrations(target);
      const { applied } = await applyMigrations(target, { log: (line) => lines.push(line) });
      assert.deepEqual(applied, []);
      assert.deepEqual(lines, ['no pending migrations']);
      assert.equal((await migrationRows(target)).length, (await committedMigrations()).length);
    },
  },
  {
    name: 'runs a migration script whole: semicolons inside literals and $$ bodies survive',
    async run({ target }) {
      const migrations = await copyOfMigrations();
      try {
        await migrations.add(
          '99990101000000_tricky_sql',
          [
            `CREATE TABLE "notes" ("body" TEXT NOT NULL);`,
            `INSERT INTO "notes" VALUES ('one; two');`,
            `CREATE FUNCTION "shout"(t TEXT) RETURNS TEXT LANGUAGE plpgsql AS $$ BEGIN RETURN upper(t) || '!'; END; $$;`,
            `INSERT INTO "notes" VALUES ("shout"('three'));`,
          ].join('\n'),
        );
        await applyMigrations(target, { migrationsDir: migrations.dir });
        const db = await openDatabase(target);
        try {
          const rows = await db.prisma.$queryRawUnsafe<{ body: string }[]>('SELECT body FROM notes ORDER BY body');
          assert.deepEqual(rows.map((r) => r.body), ['THREE!', 'one; two']);
        } finally {
          await db.close();
        }
      } finally {
        await migrations.remove();
      }
    },
  },
  {
    name: 'a failing migration is reported, recorded as failed (not applied), and blocks the next run',
    async run({ target }) {
      const migrations = await copyOfMigrations();
      try {
        await migrations.add('99990101000000_broken', 'CREATE TABLE "half" ("id" INT);\nSELECT * FROM "no_such_table";\n');
        await assert.rejects(applyMigrations(target, { migrationsDir: migrations.dir }), (error: unknown) => {
          assert.ok(error instanceof MigrationError, String(error));
          assert.equal(error.code, 'migration_failed');
          assert.match(error.message, /no_such_table/);
          return true;
        });
        const broken = (await migrationRows(target)).find((r) => r.migration_name === '99990101000000_broken');
        assert.ok(broken, 'the failed attempt is recorded');
        assert.equal(broken.finished_at, null, 'and not as applied');

        await assert.rejects(applyMigrations(target, { migrationsDir: migrations.dir }), (error: unknown) => {
          assert.ok(error instanceof MigrationError);
          assert.equal(error.engineCode, 'P3009');
          return true;
        });
      } finally {
        await migrations.remove();
      }
    },
  },
  {
    name: 'two processes migrating at once apply each migration once',
    only: 'postgres',
    async run({ target }) {
      assert.equal(target.kind, 'postgres');
      const migrateOnce = () =>
        run(process.execPath, ['--import', 'tsx', join(repoRoot, 'packages/db/src/cli/migrate.ts')], {
          cwd: repoRoot,
          env: { ...process.env, DATABASE_URL: target.url },
        });
      const outputs = await Promise.all([migrateOnce(), migrateOnce()]);
      const committed = await committedMigrations();
      const appliedLines = outputs.flatMap((o) => o.stdout.split('\n').filter((line) => line.startsWith('applied migration ')));
      assert.deepEqual(appliedLines.sort(), committed.map((m) => `applied migration ${m.name}`).sort());
      assert.equal((await migrationRows(target)).length, committed.length);
    },
  },
];

for (const testCase of cases) {
  for (const target of testTargets) {
    if (testCase.only && testCase.only !== target.name) continue;
    test(`${target.name}: ${testCase.name}`, { skip: target.skip }, async () => {
      const fresh = await target.fresh();
      try {
        await testCase.run(fresh);
      } finally {
        await fresh.drop();
      }
    });
  }
}
