// Passerelle under the bench: in the shared mode (DATABASE_URL and REDIS_URL
// set) a throwaway database and Redis prefix, the auth service and the API each
// in its own process; otherwise both services in one embedded process.
import { randomBytes } from 'node:crypto';
import { openDatabase } from '@passerelle/db';
import { createTestDatabase, testRedisPrefix } from '@passerelle/system-tests';
import { startServer, type ServerProcess } from './child.ts';
import { BENCH_AUDIENCE, BENCH_ISSUER, BENCH_RATE_TIERS, BENCH_TRUSTED_PROXIES, seedBenchClient, type BenchFixtures } from './fixtures.ts';

export interface PasserelleUnderBench {
  mode: 'shared' | 'embedded';
  authUrl: string;
  apiUrl: string;
  client: BenchFixtures;
  /** the processes serving the API and the token endpoint (the same one when embedded), by name */
  api: { name: string; process: ServerProcess };
  auth: { name: string; process: ServerProcess };
  /** bare Koa + one Prisma read of the bench's order, on the same database (shared mode only) */
  barePrisma?: ServerProcess;
  /** bare Koa + one rate-limit decision on the same Redis: the floor of the prescribed design (shared mode only) */
  bareRateLimit?: ServerProcess;
  stop(): Promise<void>;
}

function commonEnv(): Record<string, string> {
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    API_AUDIENCE: BENCH_AUDIENCE,
    AUTH_ISSUER: BENCH_ISSUER,
    TRUSTED_PROXIES: BENCH_TRUSTED_PROXIES,
    RATE_LIMIT_TIERS: BENCH_RATE_TIERS,
    SIGNING_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
    COOKIE_KEYS: randomBytes(32).toString('base64url'),
    SIGNATURE_MASTER_KEY: randomBytes(32).toString('base64url'),
  };
}

async function startShared(): Promise<PasserelleUnderBench> {
  const database = await createTestDatabase();
  const setup = await openDatabase(database.target, { migrate: true });
  const client = await seedBenchClient(setup.prisma).finally(() => setup.close());
  const env = { ...commonEnv(), ...database.env, REDIS_URL: process.env['REDIS_URL']!, REDIS_KEY_PREFIX: testRedisPrefix().replace('-test', '-bench') };
  const started: ServerProcess[] = [];
  try {
    const auth = await startServer('auth', env);
    started.push(auth);
    const authUrl = auth.ready.urls['auth']!;
    const api = await startServer('api', { ...env, API_JWKS_URL: `${authUrl}/jwks` });
    started.push(api);
    const barePrisma = await startServer('bare-prisma', database.env);
    started.push(barePrisma);
    const bareRateLimit = await startServer('bare-rate-limit', { REDIS_URL: env.REDIS_URL, REDIS_KEY_PREFIX: env.REDIS_KEY_PREFIX });
    started.push(bareRateLimit);
    return {
      mode: 'shared',
      authUrl,
      apiUrl: api.ready.urls['api']!,
      client,
      api: { name: 'api', process: api },
      auth: { name: 'auth', process: auth },
      barePrisma,
      bareRateLimit,
      async stop() {
        await Promise.all(started.map((s) => s.stop()));
        await database.drop();
      },
    };
  } catch (err) {
    await Promise.all(started.map((s) => s.stop()));
    await database.drop();
    throw err;
  }
}

async function startEmbedded(): Promise<PasserelleUnderBench> {
  const embedded = await startServer('embedded', { ...commonEnv(), PASSERELLE_DATA_DIR: '.data/bench' });
  const fixtures = embedded.ready.fixtures!;
  return {
    mode: 'embedded',
    authUrl: embedded.ready.urls['auth']!,
    apiUrl: embedded.ready.urls['api']!,
    client: fixtures as unknown as BenchFixtures,
    api: { name: 'auth+api (embedded, one process)', process: embedded },
    auth: { name: 'auth+api (embedded, one process)', process: embedded },
    stop: () => embedded.stop(),
  };
}

export function startPasserelle(): Promise<PasserelleUnderBench> {
  return process.env['DATABASE_URL'] && process.env['REDIS_URL'] ? startShared() : startEmbedded();
}
