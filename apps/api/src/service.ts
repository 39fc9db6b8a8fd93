// Wires the resource API: metrics → security headers → request log → error
// renderer → CORS → body (read once, exact bytes kept for the signature check) →
// guard (see @passerelle/guard for its steps) → routes. Probes (/healthz,
// /readyz) are answered by the transport, from `checks`; HSTS is the transport's
// too. Nothing here reads the environment.
import Koa from 'koa';
import { clientAddress } from '@passerelle/client-ip';
import { loadOrCreateLocalSecrets } from '@passerelle/config';
import type { Database } from '@passerelle/db';
import { renderErrors, type Problem } from '@passerelle/errors';
import { cachedVerifier, createClientLimits, createFailureGate, createGuard, createTokenVerifier, type GuardState } from '@passerelle/guard';
import { requestLogger, securityEvent, type Logger } from '@passerelle/log';
import { createMetrics, httpMetrics, type Metrics } from '@passerelle/metrics';
import { readBody } from '@passerelle/request-body';
import { openRevocationMirror } from '@passerelle/revocation';
import { createSignatureVerifier } from '@passerelle/signatures';
import type { Store } from '@passerelle/store';
import { cors } from '@passerelle/cors';
import { createApiKeyLookup } from './api-keys.ts';
import { basicResponseHeaders } from './basic-deprecation.ts';
import { createBasicSecretCheck } from './basic-credentials.ts';
import { createClientPolicies } from './client-policies.ts';
import type { ApiConfig } from './config.ts';
import { createOrders } from '@passerelle/orders';
import { orderRoutes } from './routes/orders.ts';
import { meRoutes } from './routes/me.ts';
import { partnerRoutes } from './routes/partners.ts';
import { securityEventRecorder } from './security-events.ts';
import { securityHeaders } from './security-headers.ts';

/** What a browser page may send and read (CORS), beyond the CORS-safelisted headers. */
const corsRequestHeaders = ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-Match', 'X-Request-Id', 'X-Signature'];
const corsResponseHeaders = [
  'ETag', 'Location', 'X-Request-Id', 'Idempotent-Replayed', 'WWW-Authenticate', 'Retry-After',
  'RateLimit', 'RateLimit-Policy', 'Deprecation', 'Sunset', 'Link',
];

export interface ApiDependencies {
  config: ApiConfig;
  db: Database;
  store: Store;
  log: Logger;
  /** The process's metrics; a private registry when omitted. */
  metrics?: Metrics;
}

export type DependencyChecks = Record<string, () => Promise<void>>;

export interface ApiService {
  app: Koa<GuardState>;
  callback: ReturnType<Koa<GuardState>['callback']>;
  /** Readiness checks: database, store, JWKS, revocation mirror. */
  checks: DependencyChecks;
  /** Stops background work (the revocation mirror); the caller closes db and store. */
  close(): Promise<void>;
}

/** Reachable means a 200 from the JWKS URL within the probe's timeout. */
function jwksReachable(url: URL) {
  return async () => {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await res.body?.cancel();
    if (!res.ok) throw new Error(`JWKS answered ${res.status}`);
  };
}

/** Which limit a 429 came from, as a bounded metric label: the client's rate, its daily quota, or a lockout. */
function limiterOf(problem: Problem): 'client_rate' | 'daily_quota' | 'lockout' {
  if (problem.code === 'quota_exceeded') return 'daily_quota';
  return problem.headers['RateLimit-Policy'] ? 'client_rate' : 'lockout';
}

function signatureMasterKey(config: ApiConfig): Buffer {
  // The config schema guarantees the variable in shared mode.
  const key = config.signatureMasterKey
    ?? (config.storage.mode === 'embedded' ? loadOrCreateLocalSecrets(config.storage.dataDir).signatureMasterKey : undefined);
  return Buffer.from(key!, 'base64url');
}

export async function createApiService({ config, db, store, log, metrics = createMetrics({ service: 'api' }) }: ApiDependencies): Promise<ApiService> {
  const app = new Koa<GuardState>();
  // ctx.ip comes from clientAddress below; `proxy` makes Koa read X-Forwarded-Proto/-Host too.
  // Both are safe: the transport drops forwarded headers from peers not in TRUSTED_PROXIES.
  app.proxy = config.trustedProxies.length > 0;
  const revocation = await openRevocationMirror(store, {
    onError: (err) => log.warn({ err, event: 'revocation.sync_failed' }, 'revocation list sync failed'),
  });
  const { perIp, perConsumerKey, windowSeconds, lockoutSeconds } = config.authFailures;
  const failureLimiter = (keyPrefix: string, points: number) =>
    store.limiter({ keyPrefix, points, duration: windowSeconds, blockDuration: lockoutSeconds });
  const guard = createGuard({
    verifyToken: cachedVerifier(createTokenVerifier({
      issuer: config.issuer,
      audience: config.audience,
      jwksUrl: config.jwksUrl,
      clockToleranceSeconds: config.clockTolerance,
      jwksCacheMaxAgeSeconds: config.jwksCacheMaxAge,
    }), { maxAgeSeconds: config.jwksCacheMaxAge }),
    apiKeys: createApiKeyLookup(db.prisma, revocation, (err) => log.warn({ err, event: 'api_key.touch_failed' }, 'could not record an API key\'s last use')),
    revocation,
    clients: createClientPolicies(db.prisma, revocation),
    limits: createClientLimits(store, config.rateTiers),
    ipFailures: createFailureGate(failureLimiter('authfail:ip', perIp), lockoutSeconds),
    basic: {
      checkSecret: createBasicSecretCheck(db.prisma, revocation),
      keyFailures: createFailureGate(failureLimiter('authfail:key', perConsumerKey), lockoutSeconds),
      responseHeaders: basicResponseHeaders(config.basicAuth),
    },
    signatures: {
      verify: createSignatureVerifier({ masterKey: signatureMasterKey(config), replayCache: store.kv }),
      onRefused: (reason, ctx) => securityEvent(log, 'signature.refused', {
        reason, clientId: ctx.state.client.clientId, ip: ctx.ip, requestId: ctx.state.requestId,
      }),
    },
  });
  // Logged once per outage: limits keep working per process meanwhile.
  const stopFallbackLog = store.onLimiterFallback(({ state }) => {
    if (state === 'engaged') log.warn({ event: 'rate_limit.fallback' }, 'store unreachable: rate limits fall back to per-process insurance limiters');
    else log.warn({ event: 'rate_limit.shared' }, 'store reachable again: rate limits are shared again');
  });
  const partners = partnerRoutes(db.prisma);
  const orders = orderRoutes(createOrders(db.prisma, {
    onAuditError: (err) => log.error({ err, event: 'audit.failure_not_recorded' }, 'a refused change could not be audited'),
  }));
  const recordRefusal = securityEventRecorder(db.prisma, log);

  metrics.observeRevocationMirror(() => revocation.stats());

  app.use(httpMetrics(metrics));
  app.use(clientAddress(config.trustedProxies));
  app.use(securityHeaders());
  app.use(requestLogger(log));
  app.use(renderErrors({
    realm: 'passerelle',
    onError: (err, ctx, problem) => {
      if (problem.status >= 500) log.error({ err, requestId: ctx.state.requestId }, 'request failed');
      else if (problem.status === 401 || problem.status === 403) metrics.authFailures.inc({ reason: problem.code });
      else if (problem.status === 429) {
        const limiter = limiterOf(problem);
        metrics.rateLimitRejections.inc({ limiter });
        securityEvent(log, 'rate_limit.rejected', { reason: limiter, clientId: ctx.state.principal?.clientId, ip: ctx.ip, requestId: ctx.state.requestId });
      }
      if (problem.status === 403) {
        securityEvent(log, 'auth.refused', { reason: problem.code, clientId: ctx.state.principal?.clientId, ip: ctx.ip, requestId: ctx.state.requestId });
      }
      recordRefusal(ctx, problem); // 401s and lockouts: log line and audit row
    },
  }));
  app.use(cors({ origins: config.corsOrigins, allowHeaders: corsRequestHeaders, exposeHeaders: corsResponseHeaders }));
  app.use(readBody({ limitBytes: config.bodyLimitBytes }));
  app.use(guard);
  app.use(partners.routes());
  app.use(partners.allowedMethods({ throw: false }));
  app.use(orders.routes());
  app.use(orders.allowedMethods({ throw: false }));
  const me = meRoutes(db.prisma);
  app.use(me.routes());
  app.use(me.allowedMethods({ throw: false }));

  const checks: DependencyChecks = {
    database: () => db.ping(),
    [store.kind]: () => store.ping(),
    jwks: jwksReachable(config.jwksUrl),
    revocation: async () => {
      if (Date.now() - revocation.stats().lastSyncAt > 15_000) throw new Error('revocation mirror is stale');
    },
  };
  return {
    app,
    callback: app.callback(),
    checks,
    close: async () => {
      stopFallbackLog();
      await revocation.close();
    },
  };
}
