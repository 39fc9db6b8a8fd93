// Where the schema, the migrations and the embedded data live. Found from this
// file's own location (walking up to pnpm-workspace.yaml), never from the
// working directory: `pnpm --filter` runs scripts from the package folder, the
// apps run from the repository root, and both must agree.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (dirname(dir) === dir) throw new Error(`@passerelle/db: no pnpm-workspace.yaml above ${start}`);
  }
}

export const repoRoot = findRepoRoot(dirname(fileURLToPath(import.meta.url)));
export const schemaPath = join(repoRoot, 'prisma', 'schema.prisma');
export const migrationsDir = join(repoRoot, 'prisma', 'migrations');
/** The embedded mode's default PGlite data folder. */
export const defaultPgliteDir = join(repoRoot, '.data', 'pglite');
