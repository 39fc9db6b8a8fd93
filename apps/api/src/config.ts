// The resource API's configuration, parsed once at start-up.
import { httpUrl, parseEnv, port, sharedEnv, storageOf, storagePairing, z } from '@passerelle/config';

const tier = z.strictObject({
  perSecond: z.number().int().min(1).max(100_000),
});

const defaultTiers = { basic: { perSecond: 5 }, standard: { perSecond: 50 }, premium: { perSecond: 500 } };

export const apiEnv = z.object({
  ...sharedEnv,
  API_HOST: z.string().min(1).default('127.0.0.1')
    .describe('Interface the API listens on (`0.0.0.0` in containers).'),
  API_PORT: port(4001).describe('Port of the resource API.'),
  API_JWKS_URL: httpUrl.optional()
    .describe('Where the API fetches the auth service\'s JWKS; defaults to `<AUTH_ISSUER>/jwks` (set it to the internal address behind a proxy).'),
  TOKEN_CLOCK_TOLERANCE: z.coerce.number().int().min(0).max(60).default(5)
    .describe('Seconds of clock skew tolerated on `exp`/`nbf`.'),
  RATE_LIMIT_TIERS: z.string().transform((v, ctx) => {
    try { return JSON.parse(v) as unknown; } catch { ctx.addIssue({ code: 'custom', message: 'expected JSON' }); return z.NEVER; }
  }).pipe(z.strictObject({ basic: tier, standard: tier, premium: tier })).default(defaultTiers)
    .describe('JSON: requests per second for each rate tier, e.g. `{"basic":{"perSecond":5},"standard":{"perSecond":50},"premium":{"perSecond":500}}`.'),
}).superRefine(storagePairing);

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
    rateTiers: parsed.RATE_LIMIT_TIERS,
    storage: storageOf(parsed),
  });
}

export type ApiConfig = ReturnType<typeof loadApiConfig>;
