// The resource API as its own process (shared mode: PostgreSQL + Redis):
// config → database, store → service → transport (+ metrics listener).
import { ConfigError } from '@passerelle/config';
import { openDatabase } from '@passerelle/db';
import { createLogger } from '@passerelle/log';
import { createMetrics, serveMetrics } from '@passerelle/metrics';
import { openStore } from '@passerelle/store';
import { createProbes, httpsOriginOf, runService, serve } from '@passerelle/transport';
import { loadApiConfig } from './config.ts';
import { createApiService } from './service.ts';

runService(async () => {
  const config = loadApiConfig(process.env);
  const log = createLogger({ name: 'api', level: config.logLevel });
  if (config.storage.mode !== 'shared') {
    throw new ConfigError('DATABASE_URL', 'the API runs alone only on PostgreSQL and Redis; for the embedded mode run `pnpm start`');
  }
  const db = await openDatabase({ kind: 'postgres', url: config.storage.databaseUrl });
  const store = await openStore(
    { kind: 'redis', url: config.storage.redisUrl, keyPrefix: config.storage.redisKeyPrefix },
    { onError: (err) => log.error({ err }, 'redis error') },
  );
  const metrics = createMetrics({ service: 'api' });
  const service = await createApiService({ config, db, store, log, metrics });
  const probes = createProbes(service.checks);
  metrics.observeDependencies(() => probes.readiness());
  const api = await serve(service.callback, {
    host: config.host, port: config.port, transport: config.transport, probes, log, publicOrigin: httpsOriginOf(config.audience),
  });
  const metricsListener = config.transport.metrics ? await serveMetrics(metrics, config.transport.metrics) : undefined;
  log.info({ url: api.url, redirect: api.redirectUrl, metrics: metricsListener?.url }, 'api listening');
  return {
    log,
    listeners: metricsListener ? [api, metricsListener] : [api],
    close: async () => {
      await service.close();
      await Promise.all([db.close(), store.close()]);
    },
  };
});
