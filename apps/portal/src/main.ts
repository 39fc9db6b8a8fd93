// The partner portal as its own process (shared mode: PostgreSQL + Redis):
// config → database, store → service → transport (+ metrics listener).
import { ConfigError } from '@passerelle/config';
import { openDatabase } from '@passerelle/db';
import { createLogger } from '@passerelle/log';
import { createMetrics, serveMetrics } from '@passerelle/metrics';
import { openStore } from '@passerelle/store';
import { createProbes, httpsOriginOf, runService, serve } from '@passerelle/transport';
import { loadPortalConfig } from './config.ts';
import { createPortalService } from './service.ts';

runService(async () => {
  const config = loadPortalConfig(process.env);
  const log = createLogger({ name: 'portal', level: config.logLevel });
  if (config.storage.mode !== 'shared') {
    throw new ConfigError('DATABASE_URL', 'the portal runs alone only on PostgreSQL and Redis; for the embedded mode run `pnpm start`');
  }
  const db = await openDatabase({ kind: 'postgres', url: config.storage.databaseUrl }, { migrate: true, log: (line) => log.info(line) });
  const store = await openStore(
    { kind: 'redis', url: config.storage.redisUrl, keyPrefix: config.storage.redisKeyPrefix },
    { onError: (err) => log.error({ err }, 'redis error') },
  );
  const metrics = createMetrics({ service: 'portal' });
  const service = await createPortalService({ config, db, store, log, metrics });
  const probes = createProbes(service.checks);
  metrics.observeDependencies(() => probes.readiness());
  const portal = await serve(service.callback, {
    host: config.host, port: config.port, transport: config.transport, probes, log, publicOrigin: httpsOriginOf(config.publicOrigin),
  });
  const metricsListener = config.transport.metrics ? await serveMetrics(metrics, config.transport.metrics) : undefined;
  log.info({ url: portal.url, publicOrigin: config.publicOrigin, redirect: portal.redirectUrl, metrics: metricsListener?.url }, 'partner portal listening');
  return {
    log,
    listeners: metricsListener ? [portal, metricsListener] : [portal],
    close: async () => {
      await service.close();
      await Promise.all([db.close(), store.close()]);
    },
  };
});
