// `pnpm start`: both services in one process on an embedded PGlite database and
// an in-memory store, for a first run with nothing but Node.js. The services are
// the same code as in production; only the database and store differ. Not for
// production: one process, no shared state, local generated secrets.
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { createApiService, loadApiConfig } from '@passerelle/api';
import { createAuthService, loadAuthConfig } from '@passerelle/auth';
import { ConfigError } from '@passerelle/config';
import { DatabaseLockedError, openDatabase } from '@passerelle/db';
import { createLogger } from '@passerelle/log';
import { openStore } from '@passerelle/store';

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}

async function main(): Promise<void> {
  const authConfig = loadAuthConfig(process.env);
  const apiConfig = loadApiConfig(process.env);
  const log = createLogger({ name: 'embedded', level: authConfig.logLevel });
  if (authConfig.storage.mode !== 'embedded') {
    throw new ConfigError('DATABASE_URL', 'the embedded launcher runs without DATABASE_URL and REDIS_URL; start apps/auth and apps/api separately in shared mode');
  }
  log.warn('EMBEDDED MODE: PGlite database and in-memory store in one process. Not for production.');

  const dataDir = authConfig.storage.dataDir;
  const db = await openDatabase({ kind: 'pglite', dataDir: join(dataDir, 'pglite') }, { migrate: true, log: (line) => log.info(line) });
  const store = await openStore({ kind: 'memory' });

  const auth = await createAuthService({ config: authConfig, db, store, log: log.child({ service: 'auth' }) });
  const api = await createApiService({ config: apiConfig, db, store, log: log.child({ service: 'api' }) });
  const authServer = createServer(auth.callback);
  const apiServer = createServer(api.callback);
  await listen(authServer, authConfig.port, authConfig.host);
  await listen(apiServer, apiConfig.port, apiConfig.host);
  log.info({ issuer: authConfig.issuer, api: `http://${apiConfig.host}:${apiConfig.port}`, dataDir }, 'auth and api listening');

  const shutdown = () => {
    let open = 2;
    const closed = () => { if (--open === 0) void api.close().then(() => Promise.all([db.close(), store.close()])).then(() => process.exit(0)); };
    authServer.close(closed);
    apiServer.close(closed);
    authServer.closeAllConnections();
    apiServer.closeAllConnections();
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof DatabaseLockedError) console.error(err.message);
  else console.error(err);
  process.exit(1);
});
