export { parseEnv, describeEnv, ConfigError, type EnvSchema } from './parse.ts';
export { port, seconds, milliseconds, flag, httpUrl, absoluteUri, postgresUrl, redisUrl, aesKey, cidrList } from './fields.ts';
export { sharedEnv, storagePairing, storageOf, workspaceRoot, type Storage } from './shared.ts';
export { transportEnv, transportRules, transportOf, type TransportSettings } from './transport.ts';
export { z } from 'zod';
export { signingKeyEnv } from './signing-keys.ts';
export { loadOrCreateLocalSecrets, type LocalSecrets } from './local-secrets.ts';
export { rateTiersEnv, defaultRateTiers, type RateTierLimits } from './rate-tiers.ts';
