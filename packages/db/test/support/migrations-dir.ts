// Throwaway migrations folders, for cases the committed history cannot show
// (a failing migration, a script with tricky SQL). Same layout as prisma/migrations.
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrationsDir } from '../../src/paths.ts';

export interface TempMigrations {
  dir: string;
  add(name: string, sql: string): Promise<void>;
  remove(): Promise<void>;
}

/** A copy of the committed migrations, to which cases add their own. */
export async function copyOfMigrations(): Promise<TempMigrations> {
  const root = await mkdtemp(join(tmpdir(), 'passerelle-migrations-'));
  const dir = join(root, 'migrations');
  await cp(migrationsDir, dir, { recursive: true });
  return {
    dir,
    async add(name, sql) {
      await mkdir(join(dir, name));
      await writeFile(join(dir, name, 'migration.sql'), sql);
    },
    remove: () => rm(root, { recursive: true, force: true }),
  };
}
