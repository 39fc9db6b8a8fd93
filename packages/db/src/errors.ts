// The database's typed failures, each with a stable `code` callers branch on.
import { hostname } from 'node:os';

/** A PGlite data folder is held by another live process (or by this one, already). */
export class DatabaseLockedError extends Error {
  readonly code = 'database_locked';
  readonly dataDir: string;
  /** The holder's pid; null only when its lock file could not be read. */
  readonly pid: number | null;

  constructor(dataDir: string, lockPath: string, holder: { pid: number; host: string } | null) {
    const where = holder && holder.host !== hostname() ? ` on host ${holder.host}` : '';
    const who = holder === null ? 'another process' : holder.pid === process.pid && !where ? `this process (${holder.pid})` : `process ${holder.pid}${where}`;
    super(
      `PGlite data folder ${dataDir} is in use by ${who}: one process per data folder. ` +
        `Stop that process first (if it is not a Passerelle process, delete ${lockPath}).`,
    );
    this.name = 'DatabaseLockedError';
    this.dataDir = dataDir;
    this.pid = holder?.pid ?? null;
  }
}

/** The schema engine refused or failed to apply the committed migrations. */
export class MigrationError extends Error {
  readonly code = 'migration_failed';
  /** Prisma's error code when the engine gave one (P3009: a failed migration blocks the history; P3018: a migration failed). */
  readonly engineCode: string | null;

  constructor(message: string, engineCode: string | null, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MigrationError';
    this.engineCode = engineCode;
  }
}
