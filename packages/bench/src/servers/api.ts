// Passerelle's resource API as production runs it (PostgreSQL + Redis), with
// API_JWKS_URL pointing at the bench's auth process.
import { createApiService, loadApiConfig } from '@passerelle/api';
import { openDatabase } from '@passerelle/db';
import { createLogger } from '@passerelle/log';
import { openStore } from '@passerelle/store';
import { serveForBench } from '../child.ts';
import { mountChainHello } from './chain-hello.ts';
import { listenEphemeral } from './listen.ts';

serveForBench(async () => {
  const http = await listenEphemeral();
  const config = loadApiConfig(process.env);
  if (config.storage.mode !== 'shared') throw new Error('the api bench server runs on PostgreSQL and Redis');
  const log = createLogger({ name: 'api', level: config.logLevel });
  const db = await openDatabase({ kind: 'postgres', url: config.storage.databaseUrl });
  const store = await openStore({ kind: 'redis', url: config.storage.redisUrl, keyPrefix: config.storage.redisKeyPrefix });
  const service = await createApiService({ config, db, store, log });
  mountChainHello(service.app as never);
  // Koa composes its middleware when the callback is made: made again, with the hello behind the routes.
  http.server.on('request', service.app.callback());
  return {
    urls: { api: http.url },
    stop: async () => {
      http.close();
      await service.close();
      await Promise.all([db.close(), store.close()]);
    },
  };
});
