// Starts the authorization server and the API (and, when asked, the partner
// portal) as a test's system under test:
// each on an ephemeral port, each with its own database and store connections
// (as separate processes would have), sharing one throwaway database and one
// Redis key prefix. The only thing in memory mode that is shared is the store
// object itself, exactly as in the embedded launcher. Both are served through
// the production transport (probes, timeouts, forwarded-header trust, drain).
import { randomBytes } from 'node:crypto';
import type { RequestListener } from 'node:http';
import { Writable } from 'node:stream';
import { createApiService, loadApiConfig, type ApiService } from '@passerelle/api';
import { createAuthService, createClientRevoker, loadAuthConfig, type AuthService } from '@passerelle/auth';
import { openDatabase, type Database } from '@passerelle/db';
import { createLogger } from '@passerelle/log';
import { createMetrics, type Metrics } from '@passerelle/metrics';
import { createProbes, serve, type Listening, type Probes } from '@passerelle/transport';
import { createRegistry, type Registry } from '@passerelle/registry';
import { createPortalService, loadPortalConfig } from '@passerelle/portal';
import { createRevocationWriter } from '@passerelle/revocation';
import { openStore, type Store } from '@passerelle/store';
import { createTestDatabase, testRedisPrefix } from './backends.ts';

export interface Stack {
  authUrl: string;
  apiUrl: string;
  /** The partner portal's URL; empty unless the stack was started with `portal: true`. */
  portalUrl: string;
  /** The stack's own database connection, for arranging data and reading rows. */
  db: Database;
  registry: Registry;
  /** The auth service's store, for writing what the admin domain writes there (revocations). */
  store: Store;
  /** Every log line both services wrote, as parsed JSON. */
  logs: Record<string, unknown>[];
  /** The environment the services were configured from (test secrets included). */
  env: Readonly<Record<string, string>>;
  metrics: { auth: Metrics; api: Metrics };
  /** The services themselves, for tests that enumerate what they route. */
  services: { auth: AuthService; api: ApiService };
  close(): Promise<void>;
}

export interface StackOptions {
  env?: Record<string, string>;
  /** Loopback address both services listen on (`127.0.0.1`, or `::1` to be called over IPv6). */
  host?: '127.0.0.1' | '::1';
  /** Where the API's own store reaches Redis (a test's proxy in front of REDIS_URL, to take Redis away from the API alone). */
  apiRedisUrl?: string;
  /** The auth service's and the stack registry's clock (epoch ms), for tests that control time. */
  now?: () => number;
  /** Also starts the partner portal (apps/portal), on its own port. */
  portal?: boolean;
}

/** A listener on an ephemeral port whose handler arrives once the service exists (its URL is part of its config). */
async function listenEphemeral(host: string, env: Record<string, string | undefined>, probes: Probes): Promise<{ listening: Listening; url: string; attach(h: RequestListener): void }> {
  let handler: RequestListener | undefined;
  const log = createLogger({ name: 'transport', level: 'silent' });
  const { transport } = loadApiConfig(env);
  const listening = await serve((req, res) => handler?.(req, res), { host, port: 0, transport, probes, log });
  return { listening, url: listening.url, attach: (h) => { handler = h; } };
}

/** Probes whose checks are the service's, once it exists. */
function lateProbes(): { probes: Probes; checks: Record<string, () => Promise<void>> } {
  const checks: Record<string, () => Promise<void>> = {};
  return { probes: createProbes(checks), checks };
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
  const authProbes = lateProbes();
  const apiProbes = lateProbes();
  const auth = await listenEphemeral(options.host ?? '127.0.0.1', { ...options.env }, authProbes.probes);
  const api = await listenEphemeral(options.host ?? '127.0.0.1', { ...options.env }, apiProbes.probes);
  const portalProbes = lateProbes();
  const portal = options.portal ? await listenEphemeral(options.host ?? '127.0.0.1', { ...options.env }, portalProbes.probes) : undefined;
  const env = {
    LOG_LEVEL: 'info',
    AUTH_ISSUER: auth.url,
    API_AUDIENCE: api.url,
    REDIS_KEY_PREFIX: keyPrefix,
    SIGNING_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
    COOKIE_KEYS: randomBytes(32).toString('base64url'),
    SIGNATURE_MASTER_KEY: randomBytes(32).toString('base64url'),
    PORTAL_CLIENT_SECRET: randomBytes(32).toString('base64url'),
    PORTAL_COOKIE_KEY: randomBytes(32).toString('base64url'),
    ...(portal ? { PORTAL_URL: portal.url } : {}),
    ...database.env,
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    PASSERELLE_DATA_DIR: `.data/test-${keyPrefix.split(':')[1]}`,
    ...options.env,
  };
  const logs: Record<string, unknown>[] = [];
  const log = createLogger({ name: 'test', level: env.LOG_LEVEL, destination: captureLogs(logs) });

  const openOwnStore = (url = redisUrl) => (url ? openStore({ kind: 'redis', url, keyPrefix }) : undefined);
  const shared: Store | undefined = redisUrl ? undefined : await openStore({ kind: 'memory' });
  const db = await openDatabase(database.target, { migrate: true });
  // PGlite in memory is one database per instance: there, the services share it.
  const serviceDb = async () => (database.target.kind === 'postgres' ? openDatabase(database.target) : db);

  const authDb = await serviceDb();
  const authStore = (await openOwnStore()) ?? shared!;
  const metrics = { auth: createMetrics({ service: 'auth' }), api: createMetrics({ service: 'api' }) };
  const authService = await createAuthService({
    config: loadAuthConfig(env), db: authDb, store: authStore, log: log.child({ service: 'auth' }), metrics: metrics.auth,
    ...(options.now ? { now: options.now } : {}),
  });
  Object.assign(authProbes.checks, authService.checks);
  metrics.auth.observeDependencies(() => authProbes.probes.readiness());
  auth.attach(authService.callback);

  const apiDb = await serviceDb();
  const apiStore = (await openOwnStore(options.apiRedisUrl ?? redisUrl)) ?? shared!;
  const apiService = await createApiService({ config: loadApiConfig(env), db: apiDb, store: apiStore, log: log.child({ service: 'api' }), metrics: metrics.api });
  Object.assign(apiProbes.checks, apiService.checks);
  metrics.api.observeDependencies(() => apiProbes.probes.readiness());
  api.attach(apiService.callback);

  let portalService: Awaited<ReturnType<typeof createPortalService>> | undefined;
  let portalDb: Database | undefined;
  let portalStore: Store | undefined;
  if (portal) {
    portalDb = await serviceDb();
    portalStore = (await openOwnStore()) ?? shared!;
    portalService = await createPortalService({ config: loadPortalConfig(env), db: portalDb, store: portalStore, log: log.child({ service: 'portal' }) });
    Object.assign(portalProbes.checks, portalService.checks);
    portal.attach(portalService.callback);
  }

  return {
    authUrl: auth.url,
    apiUrl: api.url,
    portalUrl: portal?.url ?? '',
    db,
    registry: createRegistry(db.prisma, {
      revokeClient: createClientRevoker(authStore),
      revokeApiKey: (keyId) => createRevocationWriter(authStore).revokeApiKey(keyId),
      ...(options.now ? { now: options.now } : {}) }),
    store: authStore,
    logs,
    env,
    metrics,
    services: { auth: authService, api: apiService },
    async close() {
      await Promise.all([auth.listening.shutdown(), api.listening.shutdown(), portal?.listening.shutdown()]);
      await Promise.all([apiService.close(), authService.close(), portalService?.close()]);
      const dbs = new Set([db, authDb, apiDb, ...(portalDb ? [portalDb] : [])]);
      const stores = new Set([authStore, apiStore, ...(portalStore ? [portalStore] : [])]);
      await Promise.all([...stores].map((s) => s.close()));
      await Promise.all([...dbs].map((d) => d.close()));
      await database.drop();
    },
  };
}
