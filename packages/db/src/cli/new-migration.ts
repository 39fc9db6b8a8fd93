// `pnpm db:new-migration <name>`: writes prisma/migrations/<timestamp>_<name>/
// migration.sql with what the schema adds to the committed migrations, in the
// folder layout `prisma migrate dev` uses. Review the SQL before committing it.
import { join } from 'node:path';
import { pendingSchemaChanges } from '../migrations/diff.ts';
import { migrationFileName, writeMigration } from '../migrations/files.ts';
import { runScript } from './run.ts';
import { parseSources, shown } from './sources.ts';

/** Prisma's folder-name rule: lower case, words joined by underscores. */
function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 200);
}

runScript(async () => {
  const { sources, positionals } = parseSources(process.argv.slice(2));
  const name = slug(positionals.join(' '));
  if (!name) {
    console.error('usage: pnpm db:new-migration <name> (letters and digits, e.g. add_client_notes)');
    return 2;
  }
  const changes = await pendingSchemaChanges(sources);
  if (changes === null) {
    console.log('no changes: the schema and the committed migrations agree, nothing written');
    return 0;
  }
  const folder = await writeMigration(sources.migrationsDir, name, changes);
  console.log(`wrote ${shown(join(sources.migrationsDir, folder, migrationFileName))}; review it, then commit it`);
  return 0;
});
