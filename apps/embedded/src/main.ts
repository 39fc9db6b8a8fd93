// `pnpm start`: the three services (auth, API, partner portal) in one process,
// each on its own port, on an embedded PGlite database and an in-memory store,
// for a first run with nothing but Node.js. The services are the same code as
// in production; only the database and store differ. Not for production: one
// process, no shared state, local generated secrets. With TLS configured every
// listener serves HTTPS; the redirect listener, if any, leads to the auth
// service. One metrics listener serves all of them.
import { join } from 'node:path';
import { createApiService, loadApiConfig } from '@passerelle/api';
import { createAuthService, loadAuthConfig } from '@passerelle/auth';
import { ConfigError } from '@passerelle/config';
import { DatabaseLockedError, openDatabase } from '@passerelle/db';
import { createLogger } from '@passerelle/log';
import { createMetrics, serveMetrics } from '@passerelle/metrics';
import { openStore } from '@passerelle/store';
import { createPortalService, loadPortalConfig } from '@passerelle/portal';
import { createProbes, httpsOriginOf, runService, serve } from '@passerelle/transport';

runService(async () => {
  const authConfig = loadAuthConfig(process.env);
  const apiConfig = loadApiConfig(process.env);
  const portalConfig = loadPortalConfig(process.env);
  const log = createLogger({ name: 'embedded', level: authConfig.logLevel });
  if (authConfig.storage.mode !== 'embedded') {
    throw new ConfigError('DATABASE_URL', 'the embedded launcher runs without DATABASE_URL and REDIS_URL; start apps/auth and apps/api separately in shared mode');
  }
  log.warn('EMBEDDED MODE: PGlite database and in-memory store in one process. Not for production.');

  const dataDir = authConfig.storage.dataDir;
  const db = await openDatabase({ kind: 'pglite', dataDir: join(dataDir, 'pglite') }, { migrate: true, log: (line) => log.info(line) });
  const store = await openStore({ kind: 'memory' });
  const metrics = createMetrics({ service: 'embedded' });

  const auth = await createAuthService({ config: authConfig, db, store, log: log.child({ service: 'auth' }), metrics });
  const api = await createApiService({ config: apiConfig, db, store, log: log.child({ service: 'api' }), metrics });
  // After auth: the portal registers itself as a client of the auth service.
  const portal = await createPortalService({ config: portalConfig, db, store, log: log.child({ service: 'portal' }) });
  const authProbes = createProbes(auth.checks);
  const apiProbes = createProbes(api.checks);
  metrics.observeDependencies(() => apiProbes.readiness());
  const authListener = await serve(auth.callback, {
    host: authConfig.host, port: authConfig.port, transport: authConfig.transport, probes: authProbes, log, publicOrigin: httpsOriginOf(authConfig.issuer),
  });
  const apiListener = await serve(api.callback, {
    host: apiConfig.host, port: apiConfig.port, transport: { ...apiConfig.transport, redirectPort: undefined }, probes: apiProbes, log,
  });
  const portalListener = await serve(portal.callback, {
    host: portalConfig.host, port: portalConfig.port, transport: { ...portalConfig.transport, redirectPort: undefined }, probes: createProbes(portal.checks), log,
  });
  const metricsListener = authConfig.transport.metrics ? await serveMetrics(metrics, authConfig.transport.metrics) : undefined;
  log.info({
    issuer: authConfig.issuer, auth: authListener.url, api: apiListener.url, portal: portalListener.url, metrics: metricsListener?.url, dataDir,
  }, 'auth, api and portal listening');

  return {
    log,
    listeners: [authListener, apiListener, portalListener, ...(metricsListener ? [metricsListener] : [])],
    close: async () => {
      await Promise.all([portal.close(), api.close(), auth.close()]);
      await Promise.all([db.close(), store.close()]);
    },
  };
}, { oneLine: (err) => err instanceof DatabaseLockedError });
