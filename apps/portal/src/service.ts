// Wires the partner portal from what main.ts (or the embedded launcher)
// opened: database, store, logger, metrics. The request pipeline, top to bottom:
// metrics → client address → request log → page headers (strict CSP) → error pages →
// static assets → session and viewer → form body → sign-in routes → partner
// routes (signed in, partner in scope, CSRF on every POST). At start-up the
// portal registers itself as a client of the auth service. Nothing here reads
// the environment.
import { readFileSync } from 'node:fs';
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import { createAccounts } from '@passerelle/accounts';
import { clientChangeHooks } from '@passerelle/auth/client-revoker';
import { createUserRevoker } from '@passerelle/auth/user-revocation';
import { clientAddress } from '@passerelle/client-ip';
import { loadOrCreateLocalSecrets } from '@passerelle/config';
import type { Database } from '@passerelle/db';
import { requestLogger, type Logger } from '@passerelle/log';
import { createMetrics, httpMetrics, type Metrics } from '@passerelle/metrics';
import { createCsrf, pageSecurity, sendAsset, sendStylesheet, STYLESHEET_PATH } from '@passerelle/pages';
import { createRegistry, createSigningKeyRegistry } from '@passerelle/registry';
import { createRevocationWriter, openRevocationMirror } from '@passerelle/revocation';
import type { Store } from '@passerelle/store';
import { createUsageReader } from '@passerelle/usage';
import { adminOnly, identify, partnerScope, requireCsrf, requireCsrfOnPost, requireUser } from './access.ts';
import type { PortalConfig } from './config.ts';
import { renderErrorPages } from './render-errors.ts';
import { allApiKeysRoutes } from './routes/all-api-keys.ts';
import { apiKeyRoutes } from './routes/api-keys.ts';
import { auditRoutes } from './routes/audit.ts';
import { auditTrailRoutes } from './routes/audit-trail.ts';
import { credentialsRoutes } from './routes/credentials.ts';
import { partnersRoutes } from './routes/partners.ts';
import { signInRoutes } from './routes/sign-in.ts';
import { limitSignInStarts } from './session/sign-in-starts.ts';
import { signingRoutes } from './routes/signing.ts';
import { signingKeysRoutes } from './routes/signing-keys.ts';
import { usersRoutes } from './routes/users.ts';
import { usageRoutes } from './routes/usage.ts';
import { cookieNames } from './session/cookies.ts';
import { createOidcClient } from './session/oidc-client.ts';
import { createSessions } from './session/sessions.ts';
import type { PortalState } from './state.ts';

const portalCss = readFileSync(new URL('../assets/portal.css', import.meta.url));
const copyJs = readFileSync(new URL('../assets/copy.js', import.meta.url));

export interface PortalDependencies {
  config: PortalConfig;
  db: Database;
  store: Store;
  log: Logger;
  /** The process's metrics; a private registry when omitted. */
  metrics?: Metrics;
}

export interface PortalService {
  callback: ReturnType<Koa['callback']>;
  checks: Record<string, () => Promise<void>>;
  close(): Promise<void>;
}

function secretsOf(config: PortalConfig) {
  const local = config.storage.mode === 'embedded' ? loadOrCreateLocalSecrets(config.storage.dataDir) : undefined;
  // The config schema guarantees all four in shared mode.
  return {
    clientSecret: config.clientSecret ?? local!.portalClientSecret,
    cookieKey: config.cookieKey ?? local!.portalCookieKey,
    signatureMasterKey: Buffer.from(config.signatureMasterKey ?? local!.signatureMasterKey, 'base64url'),
    signingKeyEncryptionKey: Buffer.from(config.signingKeyEncryptionKey ?? local!.signingKeyEncryptionKey, 'base64url'),
  };
}

export async function createPortalService({ config, db, store, log, metrics = createMetrics({ service: 'portal' }) }: PortalDependencies): Promise<PortalService> {
  const secrets = secretsOf(config);
  const clientHooks = clientChangeHooks(store, {
    onAnnounceError: (err, clientId) => log.warn({ err, event: 'client.change_not_announced', clientId }, 'a client change is saved but could not be announced; caches see it when their entries expire'),
  });
  const registry = createRegistry(db.prisma, {
    ...clientHooks,
    defaultGraceSeconds: config.secretRotationGrace,
  });
  const oidc = createOidcClient({
    issuer: config.issuer, internalUrl: config.authInternalUrl, publicOrigin: config.publicOrigin,
    clientId: config.clientId, clientSecret: secrets.clientSecret, kv: store.kv,
  });
  await registry.registerFirstPartyClient({ clientId: config.clientId, name: 'Passerelle partner portal', secret: secrets.clientSecret, redirectUris: oidc.redirectUris });

  const cookies = cookieNames(config.secureCookies);
  const csrf = createCsrf(secrets.cookieKey, config.secureCookies, cookies.csrf);
  const sessions = createSessions(store.kv, { ttlSeconds: config.sessionTtl, idleSeconds: config.sessionIdle });
  const accounts = createAccounts({
    prisma: db.prisma, store,
    // As the CLI: an admin's disable or reset ends the user's sessions, grants and tokens at the auth service.
    onCredentialsChanged: createUserRevoker({ kv: store.kv, writer: createRevocationWriter(store) }).revokeUser,
  });
  const revocation = await openRevocationMirror(store, {
    onError: (err) => log.warn({ err, event: 'revocation.sync_failed' }, 'revocation list sync failed'),
  });
  const signingKeys = createSigningKeyRegistry(db.prisma, secrets.signatureMasterKey, { announceClientChange: clientHooks.announceClientChange });
  const authOrigin = new URL(config.issuer).origin;

  const app = new Koa<PortalState>();
  // ctx.ip comes from clientAddress; `proxy` makes Koa read X-Forwarded-Proto too (Secure cookies behind Caddy).
  // Both are safe: the transport drops forwarded headers from peers not in TRUSTED_PROXIES.
  app.proxy = config.trustedProxies.length > 0;

  const assets = new Router<PortalState>();
  assets.get(STYLESHEET_PATH, sendStylesheet);
  assets.get('/assets/portal.css', (ctx) => sendAsset(ctx, 'text/css', portalCss));
  assets.get('/assets/copy.js', (ctx) => sendAsset(ctx, 'text/javascript', copyJs));

  const partner = new Router<PortalState>({ prefix: '/partners/:slug' });
  partner.use(requireUser, partnerScope(registry));
  partner.use(requireCsrfOnPost(csrf, log));
  partner.get('/', (ctx) => ctx.redirect(`/partners/${encodeURIComponent(ctx.params['slug']!)}/credentials`));
  for (const routes of [
    credentialsRoutes({ registry, issuer: config.issuer, defaultGraceSeconds: config.secretRotationGrace, adminOnly }),
    apiKeyRoutes({ registry, apiUrl: config.apiUrl }),
    signingRoutes({ signingKeys, registry, apiUrl: config.apiUrl }),
    usageRoutes({ registry, usage: createUsageReader(store, config.rateTiers) }),
    auditRoutes({ registry }),
  ]) partner.use(routes.routes());

  const adminAccess = { requireCsrf: requireCsrf(csrf, log), guard: [requireUser, adminOnly] };
  const admin = [
    partnersRoutes({ registry, ...adminAccess }),
    usersRoutes({ accounts, registry, ...adminAccess }),
    signingKeysRoutes({ prisma: db.prisma, kek: secrets.signingKeyEncryptionKey, activationDelaySeconds: config.keyActivationDelay, ...adminAccess }),
    auditTrailRoutes({ registry, ...adminAccess }),
    allApiKeysRoutes({ registry, ...adminAccess }),
  ];

  app.use(httpMetrics(metrics));
  app.use(clientAddress(config.trustedProxies));
  app.use(requestLogger(log));
  app.use(async (ctx, next) => {
    // Every page may post the sign-out form, which leads on to the auth service.
    ctx.state.formTargets = [authOrigin];
    await next();
  });
  app.use(pageSecurity({ selfScripts: true }));
  app.use(renderErrorPages(log));
  app.use(assets.routes());
  app.use(identify({ sessions, accounts, revocation, clientId: config.clientId, cookies, csrf }));
  app.use(bodyParser({ enableTypes: ['form'], formLimit: '32kb', encoding: 'utf-8' }));
  const signIn = signInRoutes({
    oidc, sessions, cookies, csrf, log, secure: config.secureCookies, sessionTtl: config.sessionTtl,
    signInStarts: limitSignInStarts(store, config.signInRatePerMinute),
    partnerSlugOf: async (id) => (await db.prisma.partner.findUnique({ where: { id }, select: { slug: true } }))?.slug,
  });
  app.use(signIn.routes());
  for (const routes of admin) app.use(routes.routes());
  app.use(partner.routes());

  return {
    callback: app.callback(),
    checks: { database: () => db.ping(), [store.kind]: () => store.ping() },
    close: () => revocation.close(),
  };
}
