// The database as the rest of Passerelle sees it: a Prisma client and a kind.
// Which engine sits behind it is chosen once, by the target given to openDatabase.
import type { PrismaClient } from './generated/client.ts';

/** Where the data lives: a PostgreSQL server, a PGlite data folder, or PGlite in memory (tests). */
export type DatabaseTarget = { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string } | { kind: 'pglite-memory' };

export interface Database {
  readonly prisma: PrismaClient;
  readonly kind: 'postgres' | 'pglite';
  /** Cheap liveness probe (SELECT 1); rejects when the database cannot answer. */
  ping(): Promise<void>;
  /** Disconnects; for PGlite, also closes the instance and releases the data folder. Idempotent. */
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Apply pending committed migrations before returning (no network involved). */
  migrate?: boolean;
  /** Receives one line per migration step ("applied migration …", "no pending migrations"). */
  log?: (line: string) => void;
}

export interface ApplyMigrationsOptions {
  log?: (line: string) => void;
  /** The migrations folder; the repository's prisma/migrations by default. */
  migrationsDir?: string;
}
