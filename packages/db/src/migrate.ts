// Applying migrations on its own, for the `migrate` script and for deployments
// that migrate before starting the services. A PGlite folder is locked for the
// duration, like any other opening of it.
import { applyToPglite, applyToPostgres } from './migrations/apply.ts';
import { migrationsDir } from './paths.ts';
import { openPglite } from './pglite.ts';
import type { ApplyMigrationsOptions, DatabaseTarget } from './types.ts';

/** Applies the pending committed migrations to the target; names what it applied. */
export async function applyMigrations(target: DatabaseTarget, options: ApplyMigrationsOptions = {}): Promise<{ applied: string[] }> {
  const applyOptions = { migrationsDir: options.migrationsDir ?? migrationsDir, log: options.log };
  if (target.kind === 'postgres') return { applied: await applyToPostgres(target.url, applyOptions) };
  const opened = await openPglite(target);
  try {
    return { applied: await applyToPglite(opened.pglite, applyOptions) };
  } finally {
    await opened.close();
  }
}
