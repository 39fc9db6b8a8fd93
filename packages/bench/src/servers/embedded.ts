// Without PostgreSQL and Redis: both services in one process on an in-memory
// PGlite and the memory store, as `pnpm start` runs them. Its peak RSS is the
// two services together.
import { createApiService, loadApiConfig } from '@passerelle/api';
import { createAuthService, loadAuthConfig } from '@passerelle/auth';
import { openDatabase } from '@passerelle/db';
import { createLogger } from '@passerelle/log';
import { openStore } from '@passerelle/store';
import { serveForBench } from '../child.ts';
import { seedBenchClient } from '../fixtures.ts';
import { mountChainHello } from './chain-hello.ts';
import { listenEphemeral } from './listen.ts';

serveForBench(async () => {
  const authHttp = await listenEphemeral();
  const apiHttp = await listenEphemeral();
  const env = { ...process.env, API_JWKS_URL: `${authHttp.url}/jwks` };
  const authConfig = loadAuthConfig(env);
  const apiConfig = loadApiConfig(env);
  const log = createLogger({ name: 'embedded', level: authConfig.logLevel });
  const db = await openDatabase({ kind: 'pglite-memory' }, { migrate: true });
  const store = await openStore({ kind: 'memory' });
  const auth = await createAuthService({ config: authConfig, db, store, log: log.child({ service: 'auth' }) });
  const api = await createApiService({ config: apiConfig, db, store, log: log.child({ service: 'api' }) });
  mountChainHello(api.app as never);
  authHttp.server.on('request', auth.callback);
  apiHttp.server.on('request', api.app.callback()); // composed again, with the hello behind the routes
  const client = await seedBenchClient(db.prisma);
  return {
    urls: { auth: authHttp.url, api: apiHttp.url },
    fixtures: { ...client },
    stop: async () => {
      authHttp.close();
      apiHttp.close();
      await api.close();
      await Promise.all([db.close(), store.close()]);
    },
  };
});
