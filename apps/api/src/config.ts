// The resource API's configuration, parsed once at start-up.
import { parseOrigins } from '@passerelle/cors';
import { aesKey, httpUrl, parseEnv, port, rateTiersEnv, seconds, sharedEnv, storageOf, storagePairing, transportEnv, transportOf, transportRules, z } from '@passerelle/config';

export const apiEnv = z.object({
  ...sharedEnv,
  ...transportEnv,
  ...rateTiersEnv,
  API_HOST: z.string().min(1).default('127.0.0.1')
    .describe('Interface the API listens on (`0.0.0.0` in containers).'),
  API_PORT: port(4001).describe('Port of the resource API.'),
  API_JWKS_URL: httpUrl.optional()
    .describe('Where the API fetches the auth service\'s JWKS; defaults to `<AUTH_ISSUER>/jwks` (set it to the internal address behind a proxy).'),
  JWKS_CACHE_MAX_AGE: z.coerce.number().int().min(1).max(3_600).default(300)
    .describe('Seconds the API trusts its copy of the JWKS before fetching it again (300); a token with an unknown `kid` also triggers a fetch. Keep it below the auth service\'s `KEY_ACTIVATION_DELAY` - `KEY_REFRESH_INTERVAL`.'),
  TOKEN_CLOCK_TOLERANCE: z.coerce.number().int().min(0).max(60).default(5)
    .describe('Seconds of clock skew tolerated on `exp`/`nbf`.'),
  API_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(10 * 1024 * 1024).default(64 * 1024)
    .describe('Largest request body the API accepts, in bytes (65536); a larger one answers 413.'),
  API_CORS_ORIGINS: z.string().transform((v, ctx) => {
    try { return parseOrigins(v); } catch (err) { ctx.addIssue({ code: 'custom', message: (err as Error).message }); return z.NEVER; }
  }).default([])
    .describe('Comma-separated browser origins allowed to call the API (`https://app.example.com`); none by default. No wildcards: any other origin gets no CORS headers.'),
  AUTH_FAILURES_PER_IP: z.coerce.number().int().min(2).max(100_000).default(100)
    .describe('Failed or unauthenticated requests one IP address may make per `AUTH_FAILURE_WINDOW` before it is locked out (100).'),
  BASIC_FAILURES_PER_KEY: z.coerce.number().int().min(2).max(1_000).default(10)
    .describe('Failed Basic attempts per consumer-key per `AUTH_FAILURE_WINDOW` before the key is locked out (10).'),
  AUTH_FAILURE_WINDOW: seconds(900, 86_400)
    .describe('Seconds over which failed authentications are counted (900).'),
  AUTH_LOCKOUT: seconds(900, 86_400)
    .describe('Seconds an IP address or consumer-key stays locked out, answered 429 with Retry-After (900).'),
  BASIC_AUTH_DEPRECATED_AT: z.iso.datetime({ offset: true }).default('2026-11-23T00:00:00Z')
    .describe('When the Basic fallback was deprecated: the date in the `Deprecation` header of Basic responses (RFC 9745).'),
  BASIC_AUTH_SUNSET: z.iso.datetime({ offset: true }).optional()
    .describe('When the Basic fallback will stop working; sent as `Sunset` (RFC 8594) on Basic responses when set.'),
  BASIC_AUTH_MIGRATION_URL: httpUrl.default('https://docs.passerelle.dev/migrate-from-basic-auth')
    .describe('Migration guide linked from Basic responses (`Link: <url>; rel="deprecation"`).'),
  SIGNATURE_MASTER_KEY: aesKey.optional()
    .describe('32 random bytes, base64url: every client\'s request-signing key (`x-signature`) is derived from it; never stored in the database. Required in shared mode; generated into the data folder in embedded mode.'),
}).superRefine((env, ctx) => {
  storagePairing(env, ctx);
  transportRules(env, ctx);
  if (env.DATABASE_URL && !env.SIGNATURE_MASTER_KEY) {
    ctx.addIssue({ code: 'custom', path: ['SIGNATURE_MASTER_KEY'], message: 'required when DATABASE_URL is set' });
  }
});

export function loadApiConfig(env: Record<string, string | undefined>) {
  const parsed = parseEnv(apiEnv, env);
  return Object.freeze({
    env: parsed.NODE_ENV,
    logLevel: parsed.LOG_LEVEL,
    host: parsed.API_HOST,
    port: parsed.API_PORT,
    issuer: parsed.AUTH_ISSUER,
    audience: parsed.API_AUDIENCE,
    jwksUrl: new URL(parsed.API_JWKS_URL ?? `${parsed.AUTH_ISSUER.replace(/\/$/, '')}/jwks`),
    clockTolerance: parsed.TOKEN_CLOCK_TOLERANCE,
    jwksCacheMaxAge: parsed.JWKS_CACHE_MAX_AGE,
    rateTiers: parsed.RATE_LIMIT_TIERS,
    bodyLimitBytes: parsed.API_BODY_LIMIT_BYTES,
    corsOrigins: parsed.API_CORS_ORIGINS,
    authFailures: {
      perIp: parsed.AUTH_FAILURES_PER_IP,
      perConsumerKey: parsed.BASIC_FAILURES_PER_KEY,
      windowSeconds: parsed.AUTH_FAILURE_WINDOW,
      lockoutSeconds: parsed.AUTH_LOCKOUT,
    },
    basicAuth: {
      deprecatedAt: new Date(parsed.BASIC_AUTH_DEPRECATED_AT),
      sunset: parsed.BASIC_AUTH_SUNSET === undefined ? undefined : new Date(parsed.BASIC_AUTH_SUNSET),
      migrationUrl: parsed.BASIC_AUTH_MIGRATION_URL,
    },
    storage: storageOf(parsed),
    transport: transportOf(parsed),
    signatureMasterKey: parsed.SIGNATURE_MASTER_KEY,
    trustedProxies: parsed.TRUSTED_PROXIES,
  });
}

export type ApiConfig = ReturnType<typeof loadApiConfig>;
