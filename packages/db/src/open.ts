// The one place that turns a DatabaseTarget into a Prisma client: PostgreSQL
// through @prisma/adapter-pg, PGlite through pglite-prisma-adapter. Nothing
// else in Passerelle branches on the kind of database.
//
// PostgreSQL is probed once before returning, so a service with a wrong
// DATABASE_URL stops at start-up instead of failing every request. With
// `migrate`, migrations run before the client exists, on their own connections.
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from './generated/client.ts';
import { applyToPglite, applyToPostgres } from './migrations/apply.ts';
import { migrationsDir } from './paths.ts';
import { openPglite } from './pglite.ts';
import type { Database, DatabaseTarget, OpenOptions } from './types.ts';

function database(prisma: PrismaClient, kind: Database['kind'], closeEngine: () => Promise<void>): Database {
  let closing: Promise<void> | undefined;
  return {
    prisma,
    kind,
    async ping() {
      await prisma.$queryRaw`SELECT 1`;
    },
    close() {
      closing ??= prisma.$disconnect().finally(closeEngine);
      return closing;
    },
  };
}

async function openPostgres(url: string, options: OpenOptions): Promise<Database> {
  if (options.migrate) await applyToPostgres(url, { migrationsDir, log: options.log });
  const db = database(new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) }), 'postgres', async () => {});
  try {
    await db.ping();
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

async function openEmbedded(target: Extract<DatabaseTarget, { kind: 'pglite' | 'pglite-memory' }>, options: OpenOptions): Promise<Database> {
  const opened = await openPglite(target);
  try {
    if (options.migrate) await applyToPglite(opened.pglite, { migrationsDir, log: options.log });
    return database(new PrismaClient({ adapter: new PrismaPGlite(opened.pglite) }), 'pglite', () => opened.close());
  } catch (error) {
    await opened.close();
    throw error;
  }
}

/**
 * Opens the database; with `{ migrate: true }` applies the pending committed migrations first.
 * A PGlite data folder is created when missing and held by this process until `close()`;
 * a folder held by another live process rejects with DatabaseLockedError.
 */
export function openDatabase(target: DatabaseTarget, options: OpenOptions = {}): Promise<Database> {
  switch (target.kind) {
    case 'postgres':
      return openPostgres(target.url, options);
    case 'pglite':
    case 'pglite-memory':
      return openEmbedded(target, options);
  }
}
