// The resource API as its own process (shared mode: PostgreSQL + Redis).
import { createServer } from 'node:http';
import { ConfigError } from '@passerelle/config';
import { openDatabase } from '@passerelle/db';
import { createLogger } from '@passerelle/log';
import { openStore } from '@passerelle/store';
import { loadApiConfig } from './config.ts';
import { createApiService } from './service.ts';

async function main(): Promise<void> {
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
  const service = await createApiService({ config, db, store, log });
  const server = createServer(service.callback);
  server.listen(config.port, config.host, () => log.info({ port: config.port }, 'api listening'));

  const shutdown = () => {
    server.close(() => void service.close().then(() => Promise.all([db.close(), store.close()])).then(() => process.exit(0)));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
