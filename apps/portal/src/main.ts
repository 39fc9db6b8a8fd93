// The partner portal as its own process (shared mode: PostgreSQL + Redis):
// config → database, store → service → transport.
import { ConfigError } from '@passerelle/config';
import { openDatabase } from '@passerelle/db';
import { createLogger } from '@passerelle/log';
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
  const service = await createPortalService({ config, db, store, log });
  const portal = await serve(service.callback, {
    host: config.host, port: config.port, transport: config.transport, probes: createProbes(service.checks), log,
    publicOrigin: httpsOriginOf(config.publicOrigin),
  });
  log.info({ url: portal.url, publicOrigin: config.publicOrigin }, 'partner portal listening');
  return {
    log,
    listeners: [portal],
    close: async () => {
      await service.close();
      await Promise.all([db.close(), store.close()]);
    },
  };
});
