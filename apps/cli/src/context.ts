// What every admin command gets: the registry over the configured database and
// store, and the operator as actor. The CLI needs no running server: it writes
// to the database and, for revocations, to the same store the services read
// (Redis in shared mode). In embedded mode it opens the PGlite folder itself,
// which works only while `pnpm start` is stopped (one process per folder); its
// revocations then go to a memory store that no service reads, which is safe
// because the API also refuses tokens of a client that is no longer active.
import { userInfo } from 'node:os';
import { join } from 'node:path';
// Subpaths, not the package root: the CLI has no use for the provider itself.
import { clientChangeHooks } from '@passerelle/auth/client-revoker';
import { createUserRevoker } from '@passerelle/auth/user-revocation';
import { authEnv } from '@passerelle/auth/config';
import { aesKey, ConfigError, loadOrCreateLocalSecrets, parseEnv, sharedEnv, signingKeyEnv, storageOf, storagePairing, z } from '@passerelle/config';
import { openDatabase, type Database, type PrismaClient } from '@passerelle/db';
import type { Actor } from '@passerelle/audit';
import { createAccounts, type Accounts } from '@passerelle/accounts';
import { createRegistry, createSigningKeyRegistry, type Registry, type SigningKeyRegistry } from '@passerelle/registry';
import { createRevocationWriter } from '@passerelle/revocation';
import { openStore, type Store } from '@passerelle/store';
import { readPasswordFromStdin } from './password-input.ts';

const cliEnv = z.object({
  ...sharedEnv,
  SECRET_ROTATION_GRACE: authEnv.shape.SECRET_ROTATION_GRACE,
  SIGNATURE_MASTER_KEY: aesKey.optional().describe('The API\'s request-signature master key; needed by `clients signing-key` and `rotate-signing-key`.'),
  SIGNING_KEY_ENCRYPTION_KEY: signingKeyEnv.SIGNING_KEY_ENCRYPTION_KEY,
  KEY_ACTIVATION_DELAY: signingKeyEnv.KEY_ACTIVATION_DELAY,
  KEY_REFRESH_INTERVAL: signingKeyEnv.KEY_REFRESH_INTERVAL,
}).superRefine(storagePairing);

/** What `keys` commands need: the token-signing keys' table, how they are sealed, and the rotation timing. */
export interface TokenKeysContext {
  prisma: PrismaClient;
  /** The auth service's SIGNING_KEY_ENCRYPTION_KEY (in embedded mode, the local secrets file's). */
  kek(): Buffer;
  activationDelaySeconds: number;
  refreshIntervalSeconds: number;
}

export interface CommandContext {
  registry: Registry;
  actor: Actor;
  json: boolean;
  out: (line: string) => void;
  /** Clients' request-signing keys; needs SIGNATURE_MASTER_KEY (in embedded mode, the local secrets file). */
  signingKeys(): SigningKeyRegistry;
  /** The authorization server's token-signing keys (`keys` commands). */
  tokenKeys(): TokenKeysContext;
  /** End users: create, list, disable, reset a password (which end the user's tokens); the CLI signs nobody in. */
  accounts(): Accounts;
  /** A password, from standard input (a hidden prompt on a terminal). */
  readPassword(): Promise<string>;
  close(): Promise<void>;
}

export interface ContextParts {
  db: Database;
  store: Store;
  json: boolean;
  out?: (line: string) => void;
  defaultGraceSeconds?: number;
  now?: () => number;
  /** base64url; undefined when not configured (signing-key commands then fail with a clear line). */
  signatureMasterKey?: string | undefined;
  /** base64url; undefined when not configured (`keys rotate` then fails with a clear line). */
  signingKeyEncryptionKey?: string | undefined;
  keyActivationDelaySeconds?: number;
  keyRefreshIntervalSeconds?: number;
  /** Where passwords come from; standard input unless a test says otherwise. */
  readPassword?: () => Promise<string>;
}

/** The operator as the audit trail names them. */
export function operator(): Actor {
  return { type: 'cli', id: `os:${userInfo().username}`, credential: 'cli' };
}

export function createContext(parts: ContextParts): CommandContext {
  const clientHooks = clientChangeHooks(parts.store, {
    onAnnounceError: (err, clientId) => process.stderr.write(`warning: the change to ${clientId} is saved, but running services could not be told at once (${String(err)}); they see it within seconds\n`),
  });
  return {
    registry: createRegistry(parts.db.prisma, {
      ...clientHooks,
      ...(parts.defaultGraceSeconds !== undefined ? { defaultGraceSeconds: parts.defaultGraceSeconds } : {}),
      ...(parts.now ? { now: parts.now } : {}),
    }),
    actor: operator(),
    json: parts.json,
    out: parts.out ?? ((line) => process.stdout.write(`${line}\n`)),
    signingKeys() {
      if (!parts.signatureMasterKey) throw new ConfigError('SIGNATURE_MASTER_KEY', 'required for signing keys when DATABASE_URL is set');
      return createSigningKeyRegistry(parts.db.prisma, Buffer.from(parts.signatureMasterKey, 'base64url'), {
        announceClientChange: clientHooks.announceClientChange,
      });
    },
    tokenKeys: () => ({
      prisma: parts.db.prisma,
      kek() {
        if (!parts.signingKeyEncryptionKey) throw new ConfigError('SIGNING_KEY_ENCRYPTION_KEY', 'required to seal a new signing key (the auth service\'s own)');
        return Buffer.from(parts.signingKeyEncryptionKey, 'base64url');
      },
      activationDelaySeconds: parts.keyActivationDelaySeconds ?? 900,
      refreshIntervalSeconds: parts.keyRefreshIntervalSeconds ?? 10,
    }),
    accounts: () => createAccounts({
      prisma: parts.db.prisma,
      store: parts.store,
      // The same store the services read: the API refuses the user's tokens, their grants and sessions are gone.
      onCredentialsChanged: createUserRevoker({ kv: parts.store.kv, writer: createRevocationWriter(parts.store) }).revokeUser,
    }),
    readPassword: parts.readPassword ?? readPasswordFromStdin,
    close: () => Promise.all([parts.db.close(), parts.store.close()]).then(() => undefined),
  };
}

export async function openContext(env: Record<string, string | undefined>, json: boolean): Promise<CommandContext> {
  const parsed = parseEnv(cliEnv, env);
  const storage = storageOf(parsed);
  const db = storage.mode === 'shared'
    ? await openDatabase({ kind: 'postgres', url: storage.databaseUrl }, { migrate: true })
    : await openDatabase({ kind: 'pglite', dataDir: join(storage.dataDir, 'pglite') }, { migrate: true });
  const store = storage.mode === 'shared'
    ? await openStore({ kind: 'redis', url: storage.redisUrl, keyPrefix: storage.redisKeyPrefix })
    : await openStore({ kind: 'memory' });
  const signatureMasterKey = parsed.SIGNATURE_MASTER_KEY
    ?? (storage.mode === 'embedded' ? loadOrCreateLocalSecrets(storage.dataDir).signatureMasterKey : undefined);
  const signingKeyEncryptionKey = parsed.SIGNING_KEY_ENCRYPTION_KEY
    ?? (storage.mode === 'embedded' ? loadOrCreateLocalSecrets(storage.dataDir).signingKeyEncryptionKey : undefined);
  return createContext({
    db, store, json, defaultGraceSeconds: parsed.SECRET_ROTATION_GRACE, signatureMasterKey,
    signingKeyEncryptionKey, keyActivationDelaySeconds: parsed.KEY_ACTIVATION_DELAY, keyRefreshIntervalSeconds: parsed.KEY_REFRESH_INTERVAL,
  });
}
