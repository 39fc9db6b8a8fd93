export { parseEnv, describeEnv, ConfigError, type EnvSchema } from './parse.ts';
export { port, seconds, httpUrl, absoluteUri, postgresUrl, redisUrl, aesKey } from './fields.ts';
export { sharedEnv, storagePairing, storageOf, workspaceRoot, type Storage } from './shared.ts';
export { z } from 'zod';
