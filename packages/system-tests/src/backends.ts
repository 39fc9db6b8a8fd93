// Test backends. With DATABASE_URL / REDIS_URL set (CI always sets them) tests
// run on the real servers: a throwaway database per stack and a random Redis key
// prefix, so test files can run in parallel. Without them, tests run on PGlite
// in memory and the in-memory store, the embedded mode's implementations.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DatabaseTarget } from '@passerelle/db';

export interface TestDatabase {
  target: DatabaseTarget;
  /** Env entries that point a service at this database. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

export function backendsInUse(): { database: 'postgres' | 'pglite'; store: 'redis' | 'memory' } {
  return {
    database: process.env['DATABASE_URL'] ? 'postgres' : 'pglite',
    store: process.env['REDIS_URL'] ? 'redis' : 'memory',
  };
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env['DATABASE_URL'];
  if (!serverUrl) return { target: { kind: 'pglite-memory' }, env: {}, drop: async () => {} };

  const name = `passerelle_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    target: { kind: 'postgres', url: url.toString() },
    env: { DATABASE_URL: url.toString() },
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

export function testRedisPrefix(): string {
  return `passerelle-test:${randomBytes(6).toString('hex')}:`;
}
