// What every admin command gets: the registry over the configured database and
// the operator as actor. The CLI needs no running server; in embedded mode it
// opens the PGlite folder itself, which works only while `pnpm start` is stopped
// (PGlite admits one process per folder).
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { parseEnv, sharedEnv, storageOf, storagePairing, z } from '@passerelle/config';
import { openDatabase, type Database } from '@passerelle/db';
import type { Actor } from '@passerelle/audit';
import { createRegistry, type Registry } from '@passerelle/registry';

const cliEnv = z.object({ ...sharedEnv }).superRefine(storagePairing);

export interface CommandContext {
  registry: Registry;
  db: Database;
  actor: Actor;
  json: boolean;
  out: (line: string) => void;
}

export async function openContext(env: Record<string, string | undefined>, json: boolean): Promise<CommandContext> {
  const storage = storageOf(parseEnv(cliEnv, env));
  const db = storage.mode === 'shared'
    ? await openDatabase({ kind: 'postgres', url: storage.databaseUrl }, { migrate: true })
    : await openDatabase({ kind: 'pglite', dataDir: join(storage.dataDir, 'pglite') }, { migrate: true });
  return {
    registry: createRegistry(db.prisma),
    db,
    actor: { type: 'cli', id: `os:${userInfo().username}`, credential: 'cli' },
    json,
    out: (line) => process.stdout.write(`${line}\n`),
  };
}
