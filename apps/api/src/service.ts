// Wires the resource API: request log → error renderer → security headers →
// guard → routes. Nothing here reads the environment.
import Koa from 'koa';
import helmet from 'koa-helmet';
import type { Database } from '@passerelle/db';
import { renderErrors } from '@passerelle/errors';
import { createGuard, createTokenVerifier, type GuardState } from '@passerelle/guard';
import { requestLogger, type Logger } from '@passerelle/log';
import { openRevocationMirror } from '@passerelle/revocation';
import type { Store } from '@passerelle/store';
import { createClientLimits } from './client-limits.ts';
import type { ApiConfig } from './config.ts';
import { partnerRoutes } from './routes/partners.ts';

export interface ApiDependencies {
  config: ApiConfig;
  db: Database;
  store: Store;
  log: Logger;
}

export interface ApiService {
  app: Koa<GuardState>;
  callback: ReturnType<Koa<GuardState>['callback']>;
  /** Stops background work (the revocation mirror); the caller closes db and store. */
  close(): Promise<void>;
}

export async function createApiService({ config, db, store, log }: ApiDependencies): Promise<ApiService> {
  const app = new Koa<GuardState>();
  const revocation = await openRevocationMirror(store, {
    onError: (err) => log.warn({ err, event: 'revocation.sync_failed' }, 'revocation list sync failed'),
  });
  const guard = createGuard({
    verifyToken: createTokenVerifier({
      issuer: config.issuer,
      audience: config.audience,
      jwksUrl: config.jwksUrl,
      clockToleranceSeconds: config.clockTolerance,
    }),
    revocation,
    limiterFor: createClientLimits(db.prisma, store, config.rateTiers),
  });
  const partners = partnerRoutes(db.prisma);

  app.use(async (ctx, next) => {
    if (ctx.path !== '/healthz') return next();
    ctx.body = { status: 'ok' };
  });
  app.use(requestLogger(log));
  app.use(renderErrors({
    realm: 'passerelle',
    onError: (err, ctx, problem) => {
      if (problem.status >= 500) log.error({ err, requestId: ctx.state.requestId }, 'request failed');
      else if (problem.status === 401 || problem.status === 403) log.warn({ event: 'auth.refused', code: problem.code, requestId: ctx.state.requestId }, 'request refused');
    },
  }));
  app.use(helmet());
  app.use(async (ctx, next) => {
    ctx.set('Cache-Control', 'no-store');
    await next();
  });
  app.use(guard);
  app.use(partners.routes());
  app.use(partners.allowedMethods({ throw: false }));

  return { app, callback: app.callback(), close: () => revocation.close() };
}
