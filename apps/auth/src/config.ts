// The authorization server's configuration, parsed once at start-up.
import { aesKey, parseEnv, port, seconds, sharedEnv, storageOf, storagePairing, z } from '@passerelle/config';

export const authEnv = z.object({
  ...sharedEnv,
  AUTH_HOST: z.string().min(1).default('127.0.0.1')
    .describe('Interface the auth service listens on (`0.0.0.0` in containers).'),
  AUTH_PORT: port(4000).describe('Port of the auth service.'),
  SIGNING_KEY_ENCRYPTION_KEY: aesKey.optional()
    .describe('32 random bytes, base64url: seals the token-signing keys stored in the database. Required in shared mode; generated into the data folder in embedded mode.'),
  COOKIE_KEYS: z.string().transform((v) => v.split(',')).pipe(z.array(z.string().min(32)).min(1)).optional()
    .describe('Comma-separated secrets (32+ characters each) signing the auth service\'s cookies; first one signs. Required in shared mode; generated in embedded mode.'),
  ACCESS_TOKEN_TTL: seconds(600, 86_400).describe('Lifetime of access tokens, in seconds (default 600).'),
}).superRefine((env, ctx) => {
  storagePairing(env, ctx);
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
    storage: storageOf(parsed),
    signingKeyEncryptionKey: parsed.SIGNING_KEY_ENCRYPTION_KEY,
    cookieKeys: parsed.COOKIE_KEYS,
  });
}

export type AuthConfig = ReturnType<typeof loadAuthConfig>;
