// Passerelle's authorization server as production runs it (PostgreSQL +
// Redis), configured from the environment the bench passes.
import { createAuthService, loadAuthConfig } from '@passerelle/auth';
import { openDatabase } from '@passerelle/db';
import { createLogger } from '@passerelle/log';
import { openStore } from '@passerelle/store';
import { serveForBench } from '../child.ts';
import { listenEphemeral } from './listen.ts';

serveForBench(async () => {
  const http = await listenEphemeral();
  const config = loadAuthConfig(process.env);
  if (config.storage.mode !== 'shared') throw new Error('the auth bench server runs on PostgreSQL and Redis');
  const log = createLogger({ name: 'auth', level: config.logLevel });
  const db = await openDatabase({ kind: 'postgres', url: config.storage.databaseUrl });
  const store = await openStore({ kind: 'redis', url: config.storage.redisUrl, keyPrefix: config.storage.redisKeyPrefix });
  const service = await createAuthService({ config, db, store, log });
  http.server.on('request', service.callback);
  return {
    urls: { auth: http.url },
    stop: async () => {
      http.close();
      await Promise.all([db.close(), store.close()]);
    },
  };
});
