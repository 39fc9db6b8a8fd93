// Starts the authorization server and the API as a test's system under test:
// each on an ephemeral port, each with its own database and store connections
// (as separate processes would have), sharing one throwaway database and one
// Redis key prefix. The only thing in memory mode that is shared is the store
// object itself, exactly as in the embedded launcher.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createApiService, loadApiConfig } from '@passerelle/api';
import { createAuthService, loadAuthConfig } from '@passerelle/auth';
import { openDatabase, type Database } from '@passerelle/db';
import { createLogger } from '@passerelle/log';
import { createRegistry, type Registry } from '@passerelle/registry';
import { openStore, type Store } from '@passerelle/store';
import { createTestDatabase, testRedisPrefix } from './backends.ts';

export interface Stack {
  authUrl: string;
  apiUrl: string;
  /** The stack's own database connection, for arranging data and reading rows. */
  db: Database;
  registry: Registry;
  /** Every log line both services wrote, as parsed JSON. */
  logs: Record<string, unknown>[];
  /** The environment the services were configured from (test secrets included). */
  env: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

export interface StackOptions {
  env?: Record<string, string>;
}

async function listenEphemeral(): Promise<{ server: Server; url: string }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}` };
}

function captureLogs(sink: Record<string, unknown>[]) {
  return new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n')) if (line) sink.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const database = await createTestDatabase();
  const redisUrl = process.env['REDIS_URL'];
  const keyPrefix = testRedisPrefix();
  const auth = await listenEphemeral();
  const api = await listenEphemeral();
  const env = {
    LOG_LEVEL: 'info',
    AUTH_ISSUER: auth.url,
    API_AUDIENCE: api.url,
    REDIS_KEY_PREFIX: keyPrefix,
    SIGNING_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
    COOKIE_KEYS: randomBytes(32).toString('base64url'),
    ...database.env,
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    PASSERELLE_DATA_DIR: `.data/test-${keyPrefix.split(':')[1]}`,
    ...options.env,
  };
  const logs: Record<string, unknown>[] = [];
  const log = createLogger({ name: 'test', level: env.LOG_LEVEL, destination: captureLogs(logs) });

  const openOwnStore = () => (redisUrl ? openStore({ kind: 'redis', url: redisUrl, keyPrefix }) : undefined);
  const shared: Store | undefined = redisUrl ? undefined : await openStore({ kind: 'memory' });
  const db = await openDatabase(database.target, { migrate: true });
  // PGlite in memory is one database per instance: there, the services share it.
  const serviceDb = async () => (database.target.kind === 'postgres' ? openDatabase(database.target) : db);

  const authDb = await serviceDb();
  const authStore = (await openOwnStore()) ?? shared!;
  const authService = await createAuthService({ config: loadAuthConfig(env), db: authDb, store: authStore, log: log.child({ service: 'auth' }) });
  auth.server.on('request', authService.callback);

  const apiDb = await serviceDb();
  const apiStore = (await openOwnStore()) ?? shared!;
  const apiService = await createApiService({ config: loadApiConfig(env), db: apiDb, store: apiStore, log: log.child({ service: 'api' }) });
  api.server.on('request', apiService.callback);

  return {
    authUrl: auth.url,
    apiUrl: api.url,
    db,
    registry: createRegistry(db.prisma),
    logs,
    env,
    async close() {
      for (const server of [auth.server, api.server]) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
      await apiService.close();
      const dbs = new Set([db, authDb, apiDb]);
      const stores = new Set([authStore, apiStore]);
      await Promise.all([...stores].map((s) => s.close()));
      await Promise.all([...dbs].map((d) => d.close()));
      await database.drop();
    },
  };
}
