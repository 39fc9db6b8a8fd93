// Wires the authorization server from what main.ts (or the embedded launcher)
// opened: database, store, logger. Nothing here reads the environment.
import helmet from 'koa-helmet';
import type Provider from 'oidc-provider';
import type { Database } from '@passerelle/db';
import { ensureSigningKey, loadKeyring } from '@passerelle/keys';
import { requestLogger, type Logger } from '@passerelle/log';
import { createRegistry } from '@passerelle/registry';
import { createRevocationWriter } from '@passerelle/revocation';
import type { Store } from '@passerelle/store';
import type { AuthConfig } from './config.ts';
import { jwtRevocation } from './jwt-revocation.ts';
import { loadOrCreateLocalSecrets } from './local-secrets.ts';
import { createProvider } from './provider.ts';

export interface AuthDependencies {
  config: AuthConfig;
  db: Database;
  store: Store;
  log: Logger;
}

export interface AuthService {
  provider: Provider;
  callback: ReturnType<Provider['callback']>;
}

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

export async function createAuthService({ config, db, store, log }: AuthDependencies): Promise<AuthService> {
  const { kek, cookieKeys } = secretsOf(config);
  const created = await ensureSigningKey(db.prisma, kek);
  if (created) log.warn({ event: 'signing_key.created', kid: created }, 'no signing key existed: created the first one');
  const keyring = await loadKeyring(db.prisma, kek);

  const registry = createRegistry(db.prisma);
  const revocation = createRevocationWriter(store, { subjectRetentionSeconds: config.accessTokenTtl });
  const provider = createProvider({
    issuer: config.issuer,
    audience: config.audience,
    accessTokenTtl: config.accessTokenTtl,
    jwks: keyring.privateJwks,
    cookieKeys,
    kv: store.kv,
    registry,
  });

  provider.on('server_error', (_ctx, err) => log.error({ err }, 'authorization server error'));
  provider.on('grant.error', (ctx, err) => log.warn({ event: 'grant.error', error: err.message, clientId: ctx.oidc?.client?.clientId }, 'token request refused'));

  provider.use(async (ctx, next) => {
    if (ctx.path !== '/healthz') return next();
    ctx.body = { status: 'ok' };
  });
  provider.use(requestLogger(log));
  // The provider writes its own CSP-compatible pages; the HTML pages' CSP arrives with the login UI.
  provider.use(helmet({ contentSecurityPolicy: false }));
  provider.use(jwtRevocation({ issuer: config.issuer, publicJwks: keyring.publicJwks, revocation, log }));

  return { provider, callback: provider.callback() };
}
