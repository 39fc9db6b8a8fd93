// How a service meets the network: native TLS 1.3 (or a declared TLS-terminating
// proxy in front), HSTS, the optional plain-HTTP redirect listener, the server's
// timeouts (slowloris), the shutdown deadline and the private metrics listener.
// Production refuses to run in the clear: an http:// issuer, or no certificate
// without a trusted proxy (TRUSTED_PROXIES, in sharedEnv), stops the start-up.
import { z } from 'zod';
import { flag, milliseconds } from './fields.ts';

const optionalPort = z.coerce.number().int().min(1).max(65535).optional();

export const transportEnv = {
  TLS_CERT_FILE: z.string().min(1).optional()
    .describe('PEM certificate chain (e.g. Let\'s Encrypt `fullchain.pem`). With `TLS_KEY_FILE`, the service serves HTTPS itself, TLS 1.3 only.'),
  TLS_KEY_FILE: z.string().min(1).optional()
    .describe('PEM private key of `TLS_CERT_FILE`.'),
  TLS_RELOAD_INTERVAL_MS: milliseconds(30_000, 100, 3_600_000)
    .describe('How often the certificate files are checked for a renewal; new connections get the new certificate, a bad one is refused and the old one kept (30000).'),
  HTTP_REDIRECT_PORT: optionalPort
    .describe('With TLS: a plain-HTTP listener on this port that only answers `308` to HTTPS (and `/healthz`, `/readyz`). Unset: none.'),
  HSTS_MAX_AGE: z.coerce.number().int().min(31_536_000).max(63_072_000).default(31_536_000)
    .describe('`max-age` of `Strict-Transport-Security` on HTTPS responses, in seconds (at least one year).'),
  HSTS_PRELOAD: flag(false)
    .describe('`true` adds `preload` to `Strict-Transport-Security` (only once the domain is ready for the browser preload lists).'),
  HTTP_HEADERS_TIMEOUT_MS: milliseconds(10_000, 100, 120_000)
    .describe('A client must send its request headers within this time, or gets `408` and the connection is closed (slowloris).'),
  HTTP_REQUEST_TIMEOUT_MS: milliseconds(30_000, 100, 600_000)
    .describe('A client must send its whole request (headers and body) within this time, or gets `408`.'),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: milliseconds(5_000, 100, 600_000)
    .describe('An idle keep-alive connection is closed after this time.'),
  SHUTDOWN_TIMEOUT_MS: milliseconds(10_000, 100, 600_000)
    .describe('On SIGTERM, in-flight requests get this long to finish before the remaining connections are cut.'),
  METRICS_PORT: optionalPort
    .describe('Port of the Prometheus `/metrics` listener, apart from the public one. Unset: no metrics listener.'),
  METRICS_HOST: z.string().min(1).default('127.0.0.1')
    .describe('Interface of the metrics listener; keep it off the public network.'),
} as const;

type TransportEnv = {
  [K in keyof typeof transportEnv]?: z.infer<(typeof transportEnv)[K]>;
} & { NODE_ENV: string; AUTH_ISSUER: string; TRUSTED_PROXIES: readonly string[]; TLS_RELOAD_INTERVAL_MS: number; HSTS_MAX_AGE: number; HSTS_PRELOAD: boolean;
  HTTP_HEADERS_TIMEOUT_MS: number; HTTP_REQUEST_TIMEOUT_MS: number; HTTP_KEEP_ALIVE_TIMEOUT_MS: number; SHUTDOWN_TIMEOUT_MS: number; METRICS_HOST: string };

/** Refinement for schemas that spread transportEnv: pairs, and production's refusals. */
export function transportRules(env: TransportEnv, ctx: z.RefinementCtx): void {
  if (Boolean(env.TLS_CERT_FILE) !== Boolean(env.TLS_KEY_FILE)) {
    ctx.addIssue({ code: 'custom', path: [env.TLS_CERT_FILE ? 'TLS_KEY_FILE' : 'TLS_CERT_FILE'], message: 'TLS_CERT_FILE and TLS_KEY_FILE are set together' });
  }
  if (env.HTTP_REDIRECT_PORT !== undefined && !env.TLS_CERT_FILE) {
    ctx.addIssue({ code: 'custom', path: ['HTTP_REDIRECT_PORT'], message: 'the redirect listener needs TLS_CERT_FILE and TLS_KEY_FILE' });
  }
  if (env.NODE_ENV !== 'production') return;
  if (new URL(env.AUTH_ISSUER).protocol !== 'https:') {
    ctx.addIssue({ code: 'custom', path: ['AUTH_ISSUER'], message: 'must be an https:// URL in production' });
  }
  if (!env.TLS_CERT_FILE && env.TRUSTED_PROXIES.length === 0) {
    ctx.addIssue({
      code: 'custom', path: ['TLS_CERT_FILE'],
      message: 'required in production, unless TRUSTED_PROXIES declares the TLS-terminating proxy in front',
    });
  }
}

export interface TransportSettings {
  tls: { certFile: string; keyFile: string; reloadIntervalMs: number } | undefined;
  redirectPort: number | undefined;
  hsts: { maxAge: number; preload: boolean };
  trustedProxies: readonly string[];
  timeouts: { headersMs: number; requestMs: number; keepAliveMs: number };
  shutdownTimeoutMs: number;
  metrics: { host: string; port: number } | undefined;
}

export function transportOf(env: TransportEnv): TransportSettings {
  return {
    tls: env.TLS_CERT_FILE && env.TLS_KEY_FILE
      ? { certFile: env.TLS_CERT_FILE, keyFile: env.TLS_KEY_FILE, reloadIntervalMs: env.TLS_RELOAD_INTERVAL_MS }
      : undefined,
    redirectPort: env.HTTP_REDIRECT_PORT,
    hsts: { maxAge: env.HSTS_MAX_AGE, preload: env.HSTS_PRELOAD },
    trustedProxies: env.TRUSTED_PROXIES,
    timeouts: { headersMs: env.HTTP_HEADERS_TIMEOUT_MS, requestMs: env.HTTP_REQUEST_TIMEOUT_MS, keepAliveMs: env.HTTP_KEEP_ALIVE_TIMEOUT_MS },
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    metrics: env.METRICS_PORT === undefined ? undefined : { host: env.METRICS_HOST, port: env.METRICS_PORT },
  };
}
