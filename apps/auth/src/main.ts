// The authorization server as its own process (shared mode: PostgreSQL + Redis).
import { createServer } from 'node:http';
import { ConfigError } from '@passerelle/config';
import { openDatabase } from '@passerelle/db';
import { createLogger } from '@passerelle/log';
import { openStore } from '@passerelle/store';
import { loadAuthConfig } from './config.ts';
import { createAuthService } from './service.ts';

async function main(): Promise<void> {
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
  const service = await createAuthService({ config, db, store, log });
  const server = createServer(service.callback);
  server.listen(config.port, config.host, () => log.info({ port: config.port, issuer: config.issuer }, 'auth service listening'));

  const shutdown = () => {
    server.close(() => void Promise.all([db.close(), store.close()]).then(() => process.exit(0)));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
