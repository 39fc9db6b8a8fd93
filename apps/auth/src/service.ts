// Wires the authorization server from what main.ts (or the embedded launcher)
// opened: database, store, logger, metrics. Probes (/healthz, /readyz) are
// answered by the transport, from `checks`; HSTS is the transport's too.
// Nothing here reads the environment.
import helmet from 'koa-helmet';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { createAccounts } from '@passerelle/accounts';
import { recordSecurityEvent } from '@passerelle/audit';
import { loadOrCreateLocalSecrets } from '@passerelle/config';
import { clientAddress } from '@passerelle/client-ip';
import type { Database } from '@passerelle/db';
import { ensureSigningKey, watchSigningKeys, type Keyring } from '@passerelle/keys';
import { requestLogger, securityEvent, type Logger } from '@passerelle/log';
import { createMetrics, httpMetrics, type Metrics } from '@passerelle/metrics';
import { createRegistry } from '@passerelle/registry';
import { createRevocationWriter, openRevocationMirror, type RevocationWriter } from '@passerelle/revocation';
import type { Store } from '@passerelle/store';
import { adminApi } from './admin/index.ts';
import { createClientRevoker } from './client-revoker.ts';
import type { AuthConfig } from './config.ts';
import { createAdapterFactory } from './adapter.ts';
import { createCsrf, pageSecurity } from '@passerelle/pages';
import { interactionRoutes } from './interactions/routes.ts';
import { enforceIpAllowlists } from './ip-allowlist.ts';
import { jwtRevocation } from './jwt-revocation.ts';
import { createProvider } from './provider.ts';
import { endUserOnLogout, recordReplay, signInRefusals } from './end-user-events.ts';
import { createUserRevocation, type UserRevocation } from './user-revocation.ts';

/**
 * The provider's own pages (errors, form_post) use inline styles, and its one
 * inline script (form_post) adds its own sha256 to script-src. Forms may post
 * back here or to a client's redirect URI (https, or http on loopback).
 */
const pageCsp = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    formAction: ["'self'", 'https:', 'http://localhost:*', 'http://127.0.0.1:*'],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
  },
};

/** The provider's own form_post answer carries its inline script and keeps the helmet policy above. */
const providerRendered = new Set(['authorization', 'resume']);
function providerRenders(ctx: object): boolean {
  const route = (ctx as { oidc?: { route?: string } }).oidc?.route;
  return route !== undefined && providerRendered.has(route);
}

export interface AuthDependencies {
  config: AuthConfig;
  db: Database;
  store: Store;
  log: Logger;
  /** Epoch milliseconds; tests pass their own to control secret-rotation graces. */
  now?: () => number;
  /** The process's metrics; a private registry when omitted. */
  metrics?: Metrics;
}

export interface AuthService {
  /**
   * The provider serving requests now. It is rebuilt when the signing keys change
   * (oidc-provider takes its keys at construction): read it per request, never keep it.
   */
  readonly provider: Provider;
  /** The HTTP handler; it always dispatches to the current provider. */
  callback: ReturnType<Provider['callback']>;
  /** Readiness checks: database and store. */
  checks: Record<string, () => Promise<void>>;
  /** Stops background work (grace sweep, key refresh, revocation mirror); the caller closes db and store. */
  close(): Promise<void>;
}

/**
 * Counts every revocation written, whoever writes it (RFC 7009, admin, rotation,
 * logout), and logs those of a whole client or user as security events. Single
 * tokens are logged where their reason is known (jwt-revocation.ts); a user's
 * revocation writes one per token, which would only repeat `user.revoked`.
 */
function recordedRevocations(writer: RevocationWriter, metrics: Metrics, log: Logger): RevocationWriter {
  return {
    revokeToken: async (token) => { await writer.revokeToken(token); metrics.revocations.inc({ kind: 'token' }); },
    revokeClient: async (clientId, notBefore) => {
      await writer.revokeClient(clientId, notBefore);
      metrics.revocations.inc({ kind: 'client' });
      securityEvent(log, 'client.revoked', { reason: 'client_tokens_ended', clientId });
    },
    revokeUser: async (userId, notBefore) => {
      await writer.revokeUser(userId, notBefore);
      metrics.revocations.inc({ kind: 'user' });
      securityEvent(log, 'user.revoked', { reason: 'user_tokens_ended', userId });
    },
    revokeApiKey: async (keyId) => { await writer.revokeApiKey(keyId); metrics.revocations.inc({ kind: 'api_key' }); },
  };
}

/** How often each auth process looks for secret-rotation graces that have ended. */
const GRACE_SWEEP_INTERVAL_MS = 1_000;

function secretsOf(config: AuthConfig) {
  if (config.storage.mode === 'embedded') {
    const local = loadOrCreateLocalSecrets(config.storage.dataDir);
    return {
      kek: Buffer.from(config.signingKeyEncryptionKey ?? local.signingKeyEncryptionKey, 'base64url'),
      cookieKeys: config.cookieKeys ?? local.cookieKeys,
    };
  }
  // The config schema guarantees both in shared mode.
  return { kek: Buffer.from(config.signingKeyEncryptionKey!, 'base64url'), cookieKeys: [...config.cookieKeys!] };
}

export async function createAuthService({ config, db, store, log, now, metrics = createMetrics({ service: 'auth' }) }: AuthDependencies): Promise<AuthService> {
  const { kek, cookieKeys } = secretsOf(config);
  const created = await ensureSigningKey(db.prisma, kek);
  if (created) log.warn({ event: 'signing_key.created', kid: created }, 'no signing key existed: created the first one');

  const revocation = recordedRevocations(createRevocationWriter(store, { subjectRetentionSeconds: config.accessTokenTtl }), metrics, log);
  const registry = createRegistry(db.prisma, {
    ...(now ? { now } : {}),
    revokeClient: createClientRevoker(store, revocation),
    revokeApiKey: revocation.revokeApiKey,
    defaultGraceSeconds: config.secretRotationGrace,
  });
  const mirror = await openRevocationMirror(store, {
    onError: (err) => log.warn({ err, event: 'revocation.sync_failed' }, 'revocation list sync failed'),
  });

  const adapters = createAdapterFactory(store.kv, registry);
  // Set with the first provider; a password change cannot happen before that.
  let users: UserRevocation | undefined;
  const accounts = createAccounts({
    prisma: db.prisma, store, onCredentialsChanged: (userId) => users!.revokeUser(userId), onRefused: signInRefusals(log, metrics),
  });
  const csrf = createCsrf(cookieKeys[0]!, new URL(config.issuer).protocol === 'https:');

  // Client authentication and grant refusals, by OAuth error code (invalid_client, invalid_grant, invalid_scope…).
  const refused = (route: string) => (ctx: KoaContextWithOIDC, err: Error & { error?: string }) => {
    const reason = err.error ?? 'unknown';
    metrics.authFailures.inc({ reason });
    securityEvent(log, 'auth.refused', {
      reason, route, clientId: ctx.oidc?.client?.clientId, ip: ctx.ip, requestId: (ctx.state as { requestId?: string }).requestId,
    });
  };

  /** One provider per keyring: everything else about it is the same on every rebuild. */
  function assembleProvider(keyring: Keyring): Provider {
    const provider = createProvider({
      issuer: config.issuer,
      audience: config.audience,
      accessTokenTtl: config.accessTokenTtl,
      refreshTokenTtl: config.refreshTokenTtl,
      sessionTtl: config.sessionTtl,
      jwks: keyring.privateJwks,
      cookieKeys,
      adapters,
      registry,
      accounts,
      now: registry.now,
    });
    // Its indexes live in the store, so the rebuilt provider's instance sees the same users.
    users = createUserRevocation({
      provider, kv: store.kv, adapters, writer: revocation, log, retentionSeconds: Math.max(config.refreshTokenTtl, config.sessionTtl),
    });

    enforceIpAllowlists(provider, { prisma: db.prisma, log });
    provider.on('server_error', (_ctx, err) => log.error({ err }, 'authorization server error'));
    provider.on('grant.success', (ctx) => {
      metrics.tokensIssued.inc({ grant_type: String(ctx.oidc.params?.['grant_type'] ?? 'unknown') });
    });
    provider.on('revocation.error', refused('revocation'));
    provider.on('grant.error', (ctx, err) => {
      refused('token')(ctx, err);
      recordReplay(db.prisma, log, ctx, err);
    });

    // ctx.ip comes from clientAddress; `proxy` makes Koa read X-Forwarded-Proto/-Host too (secure
    // cookies behind Caddy). Both are safe: the transport drops forwarded headers from untrusted peers.
    provider.proxy = config.trustedProxies.length > 0;
    provider.use(httpMetrics(metrics, (ctx) => (ctx as KoaContextWithOIDC).oidc?.route));
    provider.use(clientAddress(config.trustedProxies));
    provider.use(requestLogger(log));
    // Pages rendered here get the strict CSP of pageSecurity; the provider's own
    // (form_post) keep the helmet policy above.
    provider.use(helmet({ contentSecurityPolicy: pageCsp, strictTransportSecurity: false }));
    provider.use(pageSecurity({ skip: providerRenders }));
    provider.use(endUserOnLogout(users));
    provider.use(jwtRevocation({ issuer: config.issuer, publicJwks: keyring.publicJwks, revocation, log }));
    provider.use(adminApi({
      issuer: config.issuer, audience: config.audience, publicJwks: keyring.publicJwks, revocation: mirror, registry, log,
      signingKeys: { prisma: db.prisma, kek, activationDelaySeconds: config.keyRotation.activationDelay, now: registry.now },
      accounts,
      onDenied(actor, reason) {
        log.warn({ event: 'admin.denied', clientId: actor.id, reason, requestId: actor.requestId }, 'admin API refused a genuine token');
        recordSecurityEvent(db.prisma, actor, { action: 'admin.denied', targetType: 'client', targetId: actor.id, diff: { reason } })
          .catch((err: unknown) => log.error({ err }, 'could not record a security event'));
      },
    }));
    provider.use(interactionRoutes({ provider, accounts, csrf }).routes());
    return provider;
  }

  // Key rotation without restart: a changed keyring gets a new provider, swapped
  // in for the next request; requests already running finish on the old one.
  let current: { provider: Provider; handle: AuthService['callback'] };
  const serve = (keyring: Keyring) => {
    const provider = assembleProvider(keyring);
    current = { provider, handle: provider.callback() };
  };
  const keys = await watchSigningKeys(db.prisma, kek, {
    intervalSeconds: config.keyRotation.refreshInterval,
    retireAfterSeconds: config.keyRotation.retireAfter,
    onChange(keyring) {
      serve(keyring);
      log.info({ event: 'signing_keys.changed', signingKid: keyring.signingKid, published: keyring.publicJwks.keys.map((k) => k.kid) }, 'signing keys changed');
    },
    onError: (err) => log.error({ err, event: 'signing_keys.refresh_failed' }, 'could not refresh the signing keys; keeping the current ones'),
  });
  serve(keys.current);

  // The end of a rotation grace happens on its own: the provider already
  // refuses the previous secret at that instant (provider.ts); this sweep then
  // clears it, audits it and revokes the client's tokens (registry rotation.ts).
  let sweeping = false;
  const sweep = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    registry.endExpiredGraces()
      .then((ended) => { if (ended.length > 0) log.info({ event: 'client.secret.grace_end', clients: ended }, 'secret-rotation graces ended'); })
      .catch((err: unknown) => log.error({ err, event: 'grace_sweep.failed' }, 'secret-rotation grace sweep failed'))
      .finally(() => { sweeping = false; });
  }, GRACE_SWEEP_INTERVAL_MS);
  sweep.unref();

  return {
    get provider() { return current.provider; },
    callback: (req, res) => current.handle(req, res),
    checks: { database: () => db.ping(), [store.kind]: () => store.ping() },
    async close() {
      keys.close();
      clearInterval(sweep);
      while (sweeping) await new Promise((resolve) => setTimeout(resolve, 10));
      await mirror.close();
    },
  };
}
