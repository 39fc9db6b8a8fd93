// The authorization server as its own process (shared mode: PostgreSQL + Redis):
// config → database (migrated), store → service → transport (+ metrics listener).
import { ConfigError } from '@passerelle/config';
import { openDatabase } from '@passerelle/db';
import { createLogger } from '@passerelle/log';
import { createMetrics, serveMetrics } from '@passerelle/metrics';
import { openStore } from '@passerelle/store';
import { createProbes, httpsOriginOf, runService, serve } from '@passerelle/transport';
import { loadAuthConfig } from './config.ts';
import { createAuthService } from './service.ts';

runService(async () => {
  const config = loadAuthConfig(process.env);
  const log = createLogger({ name: 'auth', level: config.logLevel });
  if (config.storage.mode !== 'shared') {
    throw new ConfigError('DATABASE_URL', 'the auth service runs alone only on PostgreSQL and Redis; for the embedded mode run `pnpm start`');
  }
  const db = await openDatabase({ kind: 'postgres', url: config.storage.databaseUrl }, { migrate: true, log: (line) => log.info(line) });
  const store = await openStore(
    { kind: 'redis', url: config.storage.redisUrl, keyPrefix: config.storage.redisKeyPrefix },
    { onError: (err) => log.error({ err }, 'redis error') },
  );
  const metrics = createMetrics({ service: 'auth' });
  const service = await createAuthService({ config, db, store, log, metrics });
  const probes = createProbes(service.checks);
  metrics.observeDependencies(() => probes.readiness());
  const auth = await serve(service.callback, {
    host: config.host, port: config.port, transport: config.transport, probes, log, publicOrigin: httpsOriginOf(config.issuer),
  });
  const metricsListener = config.transport.metrics ? await serveMetrics(metrics, config.transport.metrics) : undefined;
  log.info({ url: auth.url, issuer: config.issuer, redirect: auth.redirectUrl, metrics: metricsListener?.url }, 'auth service listening');
  return {
    log,
    listeners: metricsListener ? [auth, metricsListener] : [auth],
    close: async () => {
      await service.close();
      await Promise.all([db.close(), store.close()]);
    },
  };
});
