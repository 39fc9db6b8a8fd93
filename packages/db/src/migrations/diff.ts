// What `schema.prisma` adds to the committed migrations, as SQL: the engine
// replays the migrations into a shadow database and diffs it against the
// schema. The shadow is PGlite in memory (see adapters.ts), so neither the drift
// check nor writing a migration needs a database server.
//
// Prisma's `createMigration` would do this too, but it insists on a shadow
// database of the main connection's kind; `diff` from `migrations` to the
// datamodel gives the same script.
import { readFile } from 'node:fs/promises';
import { memoryMigrationFactory } from './adapters.ts';
import { noFilters, withSchemaEngine } from './engine.ts';
import { postgresLockfile, readMigrationList } from './files.ts';

export interface DiffSources {
  schemaPath: string;
  migrationsDir: string;
}

/** The SQL that would bring the migrations up to the schema, or null when they agree. */
export async function pendingSchemaChanges(sources: DiffSources): Promise<string | null> {
  const schema = await readFile(sources.schemaPath, 'utf8');
  const migrations = await readMigrationList(sources.migrationsDir);
  // The lock file only names the provider, which is fixed here; a history that has none yet is still PostgreSQL.
  migrations.lockfile.content ??= postgresLockfile;
  const files = [{ path: sources.schemaPath, content: schema }];
  const factory = memoryMigrationFactory();
  try {
    const result = await withSchemaEngine(factory, { datamodels: [[sources.schemaPath, schema]] }, (engine) =>
      engine.diff({
        from: { tag: 'migrations', ...migrations },
        to: { tag: 'schemaDatamodel', files },
        script: true,
        exitCode: true,
        filters: noFilters,
      }),
    );
    // With `exitCode`, the engine answers 2 when the two sides differ.
    return result.exitCode === 2 ? (result.stdout ?? '') : null;
  } finally {
    await factory.release();
  }
}
