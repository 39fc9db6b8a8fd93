// Opens PGlite on a data folder under the folder's lock (see lock.ts), or in
// memory. The lock is taken before PGlite touches the folder and released only
// after PGlite has closed it.
import { PGlite } from '@electric-sql/pglite';
import { lockDataFolder } from './lock.ts';

export interface OpenPglite {
  readonly pglite: PGlite;
  close(): Promise<void>;
}

export async function openPglite(target: { kind: 'pglite'; dataDir: string } | { kind: 'pglite-memory' }): Promise<OpenPglite> {
  if (target.kind === 'pglite-memory') {
    const pglite = await PGlite.create();
    return { pglite, close: () => pglite.close() };
  }
  const lock = await lockDataFolder(target.dataDir);
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(target.dataDir);
  } catch (error) {
    await lock.release();
    throw error;
  }
  return {
    pglite,
    async close() {
      try {
        await pglite.close();
      } finally {
        await lock.release();
      }
    },
  };
}
