// The databases the db tests run against. PGlite always; the real PostgreSQL at
// DATABASE_URL when it is set (CI always sets it). A Postgres case is registered
// either way: without DATABASE_URL it shows as skipped with the reason, never as
// a silent pass, and with PASSERELLE_REQUIRE_SERVICES=1 it fails instead.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { DatabaseTarget } from '../../src/index.ts';

export const serverUrl = process.env['DATABASE_URL'];
const servicesRequired = process.env['PASSERELLE_REQUIRE_SERVICES'] === '1';

export interface FreshDatabase {
  target: DatabaseTarget;
  drop(): Promise<void>;
}

export interface TestTarget {
  name: 'postgres' | 'pglite';
  /** Why the target cannot run here; undefined when it can. */
  skip: string | undefined;
  /** A new, empty database that `drop()` removes. */
  fresh(): Promise<FreshDatabase>;
}

async function adminQuery(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

const postgres: TestTarget = {
  name: 'postgres',
  skip: serverUrl ? undefined : 'DATABASE_URL is unset',
  async fresh() {
    const name = `passerelle_db_test_${randomBytes(6).toString('hex')}`;
    await adminQuery(`CREATE DATABASE ${name}`);
    const url = new URL(serverUrl!);
    url.pathname = `/${name}`;
    return {
      target: { kind: 'postgres', url: url.toString() },
      drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    };
  },
};

const pglite: TestTarget = {
  name: 'pglite',
  skip: undefined,
  async fresh() {
    const dir = await mkdtemp(join(tmpdir(), 'passerelle-db-test-'));
    return {
      target: { kind: 'pglite', dataDir: join(dir, 'pglite') },
      drop: () => rm(dir, { recursive: true, force: true }),
    };
  },
};

export const testTargets: TestTarget[] = [postgres, pglite];

if (servicesRequired && !serverUrl) {
  throw new Error('PASSERELLE_REQUIRE_SERVICES=1 but DATABASE_URL is unset: the PostgreSQL cases cannot be skipped');
}

/** One line for the test log, naming the targets that run and the ones that do not. */
export function describeTargets(): string {
  return testTargets.map((t) => (t.skip ? `${t.name} (skipped: ${t.skip})` : t.name)).join(', ');
}
