// `pnpm db:check`: fails when prisma/schema.prisma says something the committed
// migrations do not (a model added without its migration, or a migration edited
// away from the schema). Needs no database server: the migrations are replayed
// into PGlite in memory.
import { pendingSchemaChanges } from '../migrations/diff.ts';
import { runScript } from './run.ts';
import { parseSources, shown } from './sources.ts';

runScript(async () => {
  const { sources } = parseSources(process.argv.slice(2));
  const changes = await pendingSchemaChanges(sources);
  if (changes === null) {
    console.log('ok: the schema and the committed migrations agree');
    return 0;
  }
  console.error(`drift: ${shown(sources.schemaPath)} differs from the migrations in ${shown(sources.migrationsDir)}.`);
  console.error('A migration bringing them in line would be:\n');
  console.error(changes.trimEnd().replace(/^/gm, '  '));
  console.error('\nRun `pnpm db:new-migration <name>` and commit the folder it writes.');
  return 1;
});
