// Variables every service reads, and the one decision they share: which mode
// runs. With DATABASE_URL and REDIS_URL both set, services use PostgreSQL and
// Redis (production, compose, CI). With neither, the embedded mode runs on
// PGlite and process memory. One without the other is a mistake, not a mode.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { absoluteUri, cidrList, httpUrl, postgresUrl, redisUrl } from './fields.ts';

export const sharedEnv = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development')
    .describe('`production` turns on the strict checks; `development` by default.'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')
    .describe('pino log level.'),
  DATABASE_URL: postgresUrl.optional()
    .describe('PostgreSQL URL. Set together with REDIS_URL; unset both for the embedded mode.'),
  REDIS_URL: redisUrl.optional()
    .describe('Redis URL. Set together with DATABASE_URL; unset both for the embedded mode.'),
  REDIS_KEY_PREFIX: z.string().regex(/^[A-Za-z0-9:_-]{1,64}$/).default('passerelle:')
    .describe('Prefix of every Redis key and channel, to share one Redis between deployments.'),
  PASSERELLE_DATA_DIR: z.string().min(1).default('.data')
    .describe('Embedded mode only: folder holding the PGlite database and generated local keys (relative to the repository root).'),
  AUTH_ISSUER: httpUrl.default('http://localhost:4000')
    .describe('Public URL of the authorization server; the `iss` of every token.'),
  API_AUDIENCE: absoluteUri.default('http://localhost:4001')
    .describe('Resource indicator of the API; the `aud` of its access tokens.'),
  TRUSTED_PROXIES: cidrList
    .describe('Comma-separated addresses or CIDR ranges of our own reverse proxies. X-Forwarded-For is believed only on connections from them, read from the right; unset (default), it is ignored.'),
} as const;

export type Storage =
  | { mode: 'shared'; databaseUrl: string; redisUrl: string; redisKeyPrefix: string }
  | { mode: 'embedded'; dataDir: string };

/** Refinement for schemas built on sharedEnv. */
export function storagePairing(env: { DATABASE_URL?: string | undefined; REDIS_URL?: string | undefined }, ctx: z.RefinementCtx): void {
  if (Boolean(env.DATABASE_URL) !== Boolean(env.REDIS_URL)) {
    ctx.addIssue({
      code: 'custom',
      path: [env.DATABASE_URL ? 'REDIS_URL' : 'DATABASE_URL'],
      message: 'DATABASE_URL and REDIS_URL are set together (shared mode) or not at all (embedded mode)',
    });
  }
}

/** The folder holding pnpm-workspace.yaml above the current one (or the current one). */
export function workspaceRoot(from = process.cwd()): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (dirname(dir) === dir) return resolve(from);
  }
}

export function storageOf(env: {
  DATABASE_URL?: string | undefined; REDIS_URL?: string | undefined; REDIS_KEY_PREFIX: string; PASSERELLE_DATA_DIR: string;
}): Storage {
  return env.DATABASE_URL && env.REDIS_URL
    ? { mode: 'shared', databaseUrl: env.DATABASE_URL, redisUrl: env.REDIS_URL, redisKeyPrefix: env.REDIS_KEY_PREFIX }
    : { mode: 'embedded', dataDir: resolve(workspaceRoot(), env.PASSERELLE_DATA_DIR) };
}
