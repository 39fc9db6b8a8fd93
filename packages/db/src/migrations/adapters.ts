// Driver adapters as the schema engine needs them, with the traps of the stock
// adapters removed:
// - pglite-prisma-adapter 0.7.2's executeScript does not await `exec()`: a failing
//   migration would be recorded as applied, and its rejection would crash the
//   process later. Here the script is awaited and its error mapped.
// - @prisma/adapter-pg 7.10's executeScript splits the script on `;`, which breaks
//   string literals and `$$` bodies. Here it is sent whole, as one simple-protocol
//   query (Postgres runs multi-statement strings natively).
// - The shadow database is always a fresh PGlite in memory, even for PostgreSQL:
//   adapter-pg's own shadow database silently connects to the main database when
//   given a URL, drops it before closing its pool, and cannot read the `"char"`
//   columns of the catalog that a diff introspects. PGlite needs no server either.
// Every PGlite the factory creates is closed by `release()`, whatever the engine did.
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { DriverAdapterError, type SqlDriverAdapter, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import pg from 'pg';

export interface MigrationAdapterFactory extends SqlMigrationAwareDriverAdapterFactory {
  /** Closes the connections and in-memory databases the factory opened. */
  release(): Promise<void>;
}

/** Same adapter, another way to run a script. */
function withScriptRunner(adapter: SqlDriverAdapter, executeScript: (script: string) => Promise<void>): SqlDriverAdapter {
  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    queryRaw: (query) => adapter.queryRaw(query),
    executeRaw: (query) => adapter.executeRaw(query),
    startTransaction: (isolationLevel) => adapter.startTransaction(isolationLevel),
    getConnectionInfo: () => adapter.getConnectionInfo?.() ?? { supportsRelationJoins: true },
    executeScript,
    dispose: () => adapter.dispose(),
  };
}

interface PostgresErrorFields {
  code: string;
  severity: string;
  message: string;
  detail?: string;
  column?: string;
  hint?: string;
}

function isPostgresError(error: unknown): error is PostgresErrorFields {
  const e = error as Partial<PostgresErrorFields> | null;
  return typeof e?.code === 'string' && typeof e.severity === 'string' && typeof e.message === 'string';
}

/** Maps a PGlite error the way the stock adapter maps query errors, so the engine reports it. */
function toDriverError(error: unknown): unknown {
  if (!isPostgresError(error)) return error;
  return new DriverAdapterError({
    kind: 'postgres',
    code: error.code,
    severity: error.severity,
    message: error.message,
    detail: error.detail,
    column: error.column,
    hint: error.hint,
    originalCode: error.code,
    originalMessage: error.message,
  });
}

/** A migration-ready adapter over one PGlite instance. */
export async function pgliteAdapter(pglite: PGlite): Promise<SqlDriverAdapter> {
  const adapter = await new PrismaPGlite(pglite).connect();
  return withScriptRunner(adapter, async (script) => {
    try {
      await pglite.exec(script);
    } catch (error) {
      throw toDriverError(error);
    }
  });
}

/** Opens a throwaway in-memory PGlite; `track` learns of it so it gets closed. */
async function memoryShadow(track: Set<PGlite>): Promise<SqlDriverAdapter> {
  const shadow = await PGlite.create();
  track.add(shadow);
  return pgliteAdapter(shadow);
}

const adapterInfo = { provider: 'postgres', adapterName: '@passerelle/db' } as const;

/** The engine's view of a PGlite main database (data folder or memory), opened by the caller. */
export function pgliteMigrationFactory(pglite: PGlite): MigrationAdapterFactory {
  const shadows = new Set<PGlite>();
  return {
    ...adapterInfo,
    connect: () => pgliteAdapter(pglite),
    connectToShadowDb: () => memoryShadow(shadows),
    release: async () => {
      await Promise.all([...shadows].map((shadow) => shadow.close()));
    },
  };
}

/** The engine's view of a PostgreSQL database: one small pool the factory owns. */
export function postgresMigrationFactory(url: string): MigrationAdapterFactory {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const stock = new PrismaPg(pool);
  const shadows = new Set<PGlite>();
  return {
    ...adapterInfo,
    connect: async () => {
      const adapter = await stock.connect();
      // executeRaw without arguments is a simple-protocol query: the script runs whole,
      // and a failure is mapped by the stock adapter.
      return withScriptRunner(adapter, async (script) => {
        await adapter.executeRaw({ sql: script, args: [], argTypes: [] });
      });
    },
    connectToShadowDb: () => memoryShadow(shadows),
    release: async () => {
      await Promise.all([pool.end(), ...[...shadows].map((shadow) => shadow.close())]);
    },
  };
}

/**
 * For diffs that need no main database. The engine queries its main database when it
 * starts (server version) and never again during a diff between migrations and a
 * schema, so one in-memory PGlite serves as main and shadow: creating one takes seconds.
 */
export function memoryMigrationFactory(): MigrationAdapterFactory {
  let scratch: Promise<PGlite> | undefined;
  const open = async () => pgliteAdapter(await (scratch ??= PGlite.create()));
  return {
    ...adapterInfo,
    connect: open,
    connectToShadowDb: open,
    release: async () => {
      if (scratch) await (await scratch).close();
    },
  };
}
