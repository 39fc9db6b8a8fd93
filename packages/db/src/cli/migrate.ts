// `pnpm db:migrate`: applies the committed migrations to DATABASE_URL, or, when
// it is unset, to the embedded mode's data folder (<repo>/.data/pglite).
import { relative } from 'node:path';
import { applyMigrations } from '../migrate.ts';
import { defaultPgliteDir, repoRoot } from '../paths.ts';
import type { DatabaseTarget } from '../types.ts';
import { runScript } from './run.ts';

function targetFromEnv(env: NodeJS.ProcessEnv): { target: DatabaseTarget; label: string } {
  const url = env['DATABASE_URL'];
  if (url) {
    const shown = new URL(url);
    shown.password = shown.password ? '***' : '';
    return { target: { kind: 'postgres', url }, label: `PostgreSQL ${shown.toString()}` };
  }
  return { target: { kind: 'pglite', dataDir: defaultPgliteDir }, label: `PGlite ${relative(repoRoot, defaultPgliteDir)} (DATABASE_URL is unset)` };
}

runScript(async () => {
  const { target, label } = targetFromEnv(process.env);
  console.log(`migrating ${label}`);
  const { applied } = await applyMigrations(target, { log: (line) => console.log(line) });
  console.log(applied.length === 0 ? 'database is up to date' : `${applied.length} migration(s) applied`);
  return 0;
});
