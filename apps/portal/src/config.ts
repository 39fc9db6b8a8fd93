// The partner portal's configuration, parsed once at start-up. The portal is a
// first-party OAuth client of the auth service (it registers itself from these
// settings, see service.ts), and uses the same domain layer as the admin API,
// so it also needs the request-signature master key to show signing keys, and
// the signing-key encryption key for an admin's token-signing-key rotation.
import { MAX_GRACE_SECONDS } from '@passerelle/registry';
import {
  aesKey, httpUrl, parseEnv, port, rateTiersEnv, seconds, sharedEnv, signingKeyEnv, storageOf, storagePairing, transportEnv, transportOf, transportRules, z,
} from '@passerelle/config';

export const portalEnv = z.object({
  ...sharedEnv,
  ...transportEnv,
  ...rateTiersEnv,
  PORTAL_HOST: z.string().min(1).default('127.0.0.1')
    .describe('Interface the partner portal listens on (`0.0.0.0` in containers).'),
  PORTAL_PORT: port(4002).describe('Port of the partner portal.'),
  PORTAL_URL: httpUrl.default('http://localhost:4002')
    .describe('Public URL of the partner portal (its OAuth redirect URI is `<PORTAL_URL>/auth/callback`). With `https://`, cookies are `Secure` and `__Host-` prefixed.'),
  PORTAL_AUTH_URL: httpUrl.optional()
    .describe('Where the portal reaches the auth service for tokens and keys, server to server; defaults to `AUTH_ISSUER` (set it to the internal address behind a proxy). Browsers always go to `AUTH_ISSUER`.'),
  PORTAL_CLIENT_ID: z.string().regex(/^[A-Za-z0-9_.-]{3,64}$/).default('passerelle-portal')
    .describe('The portal\'s consumer-key at the auth service; the portal registers this client itself at start-up.'),
  PORTAL_CLIENT_SECRET: z.string().min(32).optional()
    .describe('The portal\'s consumer-secret (32+ characters); only its hash is stored. Required in shared mode; generated in embedded mode.'),
  PORTAL_COOKIE_KEY: z.string().min(32).optional()
    .describe('Secret (32+ characters) signing the portal\'s CSRF tokens. Required in shared mode; generated in embedded mode.'),
  PORTAL_SESSION_TTL: seconds(8 * 3600, 7 * 86_400)
    .describe('Lifetime of a portal session from the sign-in, in seconds (default 8 hours), however busy it is.'),
  PORTAL_SESSION_IDLE: seconds(30 * 60, 86_400)
    .describe('A portal session left unused this many seconds ends (default 30 minutes).'),
  PORTAL_SIGN_IN_RATE: z.coerce.number().int().min(1).max(10_000).default(30)
    .describe('Sign-ins one address may start per minute at the portal (default 30); beyond, 429 with Retry-After. Each start stores a 10-minute record.'),
  SECRET_ROTATION_GRACE: z.coerce.number().int().min(0).max(MAX_GRACE_SECONDS).default(86_400)
    .describe('Default grace period of a consumer-secret rotation, in seconds (86400 = 24 h).'),
  SIGNATURE_MASTER_KEY: aesKey.optional()
    .describe('32 random bytes, base64url: the portal derives clients\' request-signing keys from it to show them (Signing page). Required in shared mode; generated in embedded mode.'),
  // An admin rotates the auth service's token-signing keys from the portal: same sealing key, same default delay.
  SIGNING_KEY_ENCRYPTION_KEY: signingKeyEnv.SIGNING_KEY_ENCRYPTION_KEY,
  KEY_ACTIVATION_DELAY: signingKeyEnv.KEY_ACTIVATION_DELAY,
}).superRefine((env, ctx) => {
  storagePairing(env, ctx);
  transportRules(env, ctx);
  for (const name of ['PORTAL_CLIENT_SECRET', 'PORTAL_COOKIE_KEY', 'SIGNATURE_MASTER_KEY', 'SIGNING_KEY_ENCRYPTION_KEY'] as const) {
    if (env.DATABASE_URL && !env[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'required when DATABASE_URL is set' });
  }
  // Secure cookies need a request Koa knows is HTTPS: TLS here, or a declared proxy's X-Forwarded-Proto.
  if (new URL(env.PORTAL_URL).protocol === 'https:' && !env.TLS_CERT_FILE && env.TRUSTED_PROXIES.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['PORTAL_URL'], message: 'an https:// portal needs TLS_CERT_FILE, or TRUSTED_PROXIES naming the TLS-terminating proxy in front' });
  }
  if (env.NODE_ENV === 'production' && new URL(env.PORTAL_URL).protocol !== 'https:') {
    ctx.addIssue({ code: 'custom', path: ['PORTAL_URL'], message: 'must be an https:// URL in production' });
  }
});

export function loadPortalConfig(env: Record<string, string | undefined>) {
  const parsed = parseEnv(portalEnv, env);
  const publicUrl = new URL(parsed.PORTAL_URL);
  const issuer = parsed.AUTH_ISSUER;
  return Object.freeze({
    env: parsed.NODE_ENV,
    logLevel: parsed.LOG_LEVEL,
    host: parsed.PORTAL_HOST,
    port: parsed.PORTAL_PORT,
    publicOrigin: publicUrl.origin,
    /** Cookies are Secure (and `__Host-`) exactly when the portal is served over HTTPS. */
    secureCookies: publicUrl.protocol === 'https:',
    /** Exactly as the auth service's `iss`; endpoints are built from it without its trailing slash. */
    issuer,
    authInternalUrl: (parsed.PORTAL_AUTH_URL ?? issuer).replace(/\/$/, ''),
    apiUrl: parsed.API_AUDIENCE.replace(/\/$/, ''),
    clientId: parsed.PORTAL_CLIENT_ID,
    clientSecret: parsed.PORTAL_CLIENT_SECRET,
    cookieKey: parsed.PORTAL_COOKIE_KEY,
    sessionTtl: parsed.PORTAL_SESSION_TTL,
    sessionIdle: parsed.PORTAL_SESSION_IDLE,
    signInRatePerMinute: parsed.PORTAL_SIGN_IN_RATE,
    secretRotationGrace: parsed.SECRET_ROTATION_GRACE,
    signatureMasterKey: parsed.SIGNATURE_MASTER_KEY,
    signingKeyEncryptionKey: parsed.SIGNING_KEY_ENCRYPTION_KEY,
    /** Seconds between an admin's token-signing-key rotation and the new key signing, when the form does not say. */
    keyActivationDelay: parsed.KEY_ACTIVATION_DELAY,
    /** For "quota left" on the Usage page: the same tiers the API enforces. */
    rateTiers: parsed.RATE_LIMIT_TIERS,
    storage: storageOf(parsed),
    trustedProxies: parsed.TRUSTED_PROXIES,
    transport: transportOf(parsed),
  });
}

export type PortalConfig = ReturnType<typeof loadPortalConfig>;
