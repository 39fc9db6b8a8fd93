// The schema and migrations a script works on: the repository's, unless
// `--schema` / `--migrations` name others (tests compare modified copies this way).
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { migrationsDir, repoRoot, schemaPath } from '../paths.ts';
import type { DiffSources } from '../migrations/diff.ts';

export function parseSources(args: string[]): { sources: DiffSources; positionals: string[] } {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { schema: { type: 'string' }, migrations: { type: 'string' } },
  });
  return {
    sources: {
      schemaPath: values.schema ? resolve(values.schema) : schemaPath,
      migrationsDir: values.migrations ? resolve(values.migrations) : migrationsDir,
    },
    positionals,
  };
}

/** A path as people read it: relative to the repository when inside it. */
export function shown(path: string): string {
  const inRepo = relative(repoRoot, path);
  return inRepo.startsWith('..') ? path : inRepo;
}
