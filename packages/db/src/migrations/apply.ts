// Applies the committed migrations the way `prisma migrate deploy` does: the
// schema engine records each one in `_prisma_migrations` (sha256 checksum of the
// file, Prisma's own table layout), so the real Prisma CLI agrees with the
// result; already-applied migrations are skipped, an edited or failed one stops it.
//
// On PostgreSQL two processes may start at once (two replicas of a service).
// The engine's own advisory lock is taken on a pooled connection and times out
// after 10 s, so the whole run is serialized here first on a dedicated session,
// under a key of our own: reusing Prisma's key would make the engine wait on us.
import pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import { MigrationError } from '../errors.ts';
import { pgliteMigrationFactory, postgresMigrationFactory, type MigrationAdapterFactory } from './adapters.ts';
import { noFilters, withSchemaEngine } from './engine.ts';
import { readMigrationList } from './files.ts';

/** pg_advisory_lock key serializing migration runs: any constant but Prisma's 72707369. */
const migrationLockKey = '7305236520211402733';

export interface ApplyOptions {
  /** The migrations folder; the repository's prisma/migrations by default. */
  migrationsDir: string;
  log?: (line: string) => void;
}

function asMigrationError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const engineCode = (error as { code?: unknown }).code;
  const code = typeof engineCode === 'string' ? engineCode : null;
  return new MigrationError(`applying migrations failed: ${error.message}`, code, { cause: error });
}

async function applyThrough(factory: MigrationAdapterFactory, options: ApplyOptions): Promise<string[]> {
  const migrationsList = await readMigrationList(options.migrationsDir);
  try {
    const result = await withSchemaEngine(factory, {}, (engine: SchemaEngine) =>
      engine.applyMigrations({ migrationsList, filters: noFilters }),
    );
    const applied = result.appliedMigrationNames;
    for (const name of applied) options.log?.(`applied migration ${name}`);
    if (applied.length === 0) options.log?.('no pending migrations');
    return applied;
  } catch (error) {
    throw asMigrationError(error);
  } finally {
    await factory.release();
  }
}

/** Applies pending migrations to an open PGlite (whose folder lock the caller holds). */
export function applyToPglite(pglite: PGlite, options: ApplyOptions): Promise<string[]> {
  return applyThrough(pgliteMigrationFactory(pglite), options);
}

/** Applies pending migrations to PostgreSQL, one process at a time. */
export async function applyToPostgres(url: string, options: ApplyOptions): Promise<string[]> {
  const session = new pg.Client({ connectionString: url });
  await session.connect();
  try {
    await session.query('SELECT pg_advisory_lock($1::bigint)', [migrationLockKey]);
    return await applyThrough(postgresMigrationFactory(url), options);
  } finally {
    // Ending the session releases the lock, after the engine's pool has closed.
    await session.end();
  }
}
