// The authorization server's configuration, parsed once at start-up.
import { MAX_GRACE_SECONDS } from '@passerelle/registry';
import { parseEnv, port, seconds, sharedEnv, signingKeyEnv, storageOf, storagePairing, transportEnv, transportOf, transportRules, z } from '@passerelle/config';

export const authEnv = z.object({
  ...sharedEnv,
  ...transportEnv,
  AUTH_HOST: z.string().min(1).default('127.0.0.1')
    .describe('Interface the auth service listens on (`0.0.0.0` in containers).'),
  AUTH_PORT: port(4000).describe('Port of the auth service.'),
  ...signingKeyEnv,
  COOKIE_KEYS: z.string().transform((v) => v.split(',')).pipe(z.array(z.string().min(32)).min(1)).optional()
    .describe('Comma-separated secrets (32+ characters each) signing the auth service\'s cookies; first one signs. Required in shared mode; generated in embedded mode.'),
  ACCESS_TOKEN_TTL: seconds(600, 86_400).describe('Lifetime of access tokens, in seconds (default 600).'),
  REFRESH_TOKEN_TTL: seconds(14 * 86_400, 90 * 86_400).describe('Lifetime of a user\'s grant and its refresh tokens, in seconds (default 14 days).'),
  SESSION_TTL: seconds(8 * 3600, 30 * 86_400).describe('Lifetime of a sign-in session at the auth service, in seconds (default 8 hours).'),
  SECRET_ROTATION_GRACE: z.coerce.number().int().min(0).max(MAX_GRACE_SECONDS).default(86_400)
    .describe('Default grace period of a consumer-secret rotation, in seconds (86400 = 24 h; 0 = the old secret stops at once; at most 30 days).'),
}).superRefine((env, ctx) => {
  storagePairing(env, ctx);
  transportRules(env, ctx);
  if (env.DATABASE_URL && !env.SIGNING_KEY_ENCRYPTION_KEY) {
    ctx.addIssue({ code: 'custom', path: ['SIGNING_KEY_ENCRYPTION_KEY'], message: 'required when DATABASE_URL is set' });
  }
  if (env.DATABASE_URL && !env.COOKIE_KEYS) {
    ctx.addIssue({ code: 'custom', path: ['COOKIE_KEYS'], message: 'required when DATABASE_URL is set' });
  }
});

export function loadAuthConfig(env: Record<string, string | undefined>) {
  const parsed = parseEnv(authEnv, env);
  return Object.freeze({
    env: parsed.NODE_ENV,
    logLevel: parsed.LOG_LEVEL,
    host: parsed.AUTH_HOST,
    port: parsed.AUTH_PORT,
    issuer: parsed.AUTH_ISSUER,
    audience: parsed.API_AUDIENCE,
    accessTokenTtl: parsed.ACCESS_TOKEN_TTL,
    refreshTokenTtl: parsed.REFRESH_TOKEN_TTL,
    sessionTtl: parsed.SESSION_TTL,
    secretRotationGrace: parsed.SECRET_ROTATION_GRACE,
    storage: storageOf(parsed),
    trustedProxies: parsed.TRUSTED_PROXIES,
    transport: transportOf(parsed),
    signingKeyEncryptionKey: parsed.SIGNING_KEY_ENCRYPTION_KEY,
    cookieKeys: parsed.COOKIE_KEYS,
    keyRotation: {
      activationDelay: parsed.KEY_ACTIVATION_DELAY,
      refreshInterval: parsed.KEY_REFRESH_INTERVAL,
      /** A superseded key is published until every token it signed has expired. */
      retireAfter: parsed.KEY_REFRESH_INTERVAL + parsed.ACCESS_TOKEN_TTL + parsed.KEY_RETIREMENT_MARGIN,
    },
  });
}

export type AuthConfig = ReturnType<typeof loadAuthConfig>;
