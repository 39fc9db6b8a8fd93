// What every part of the domain layer is built from. The clock is injected so
// tests decide what time it is (rotation graces); the revoker is injected
// because ending a client's tokens touches the token store, which the domain
// does not own.
import { Prisma, type PrismaClient } from '@passerelle/db';

export interface RegistryOptions {
  /** Epoch milliseconds; `Date.now` unless a test controls time. */
  now?: () => number;
  /**
   * Makes every token already issued to the client stop working, and drops its
   * stored grants and refresh tokens. Called inside the change's transaction, as
   * its last step: if it fails, the change rolls back and the admin retries;
   * if the commit fails after it, tokens were revoked for nothing, which is the
   * safe way to be wrong. Without one, disabling, deleting or rotating refuses.
   */
  revokeClient?: (clientId: string) => Promise<void>;
  /**
   * Tells every process that caches the client (or its partner's status) to
   * read it again. Called after the change is committed, never inside its
   * transaction: a process that reads on hearing it must read the change.
   * Without one, a change reaches those caches only when their entries expire.
   */
  announceClientChange?: (clientId: string) => Promise<void>;
  /**
   * Tells every API process that an API key is revoked (the revocation list's
   * `revokeApiKey`), so none keeps honouring a cached copy. Called inside the
   * revocation's transaction, as its last step, like `revokeClient`. Without
   * one, revoking a key refuses.
   */
  revokeApiKey?: (keyId: string) => Promise<void>;
  /** Default secret-rotation grace, seconds (the `SECRET_ROTATION_GRACE` setting); 24 h if unset. */
  defaultGraceSeconds?: number;
}

export interface Deps {
  prisma: PrismaClient;
  now: () => number;
  revokeClient: (clientId: string) => Promise<void>;
  announceClientChange: (clientId: string) => Promise<void>;
  revokeApiKey: (keyId: string) => Promise<void>;
  defaultGraceSeconds: number;
}

export function depsOf(prisma: PrismaClient, options: RegistryOptions): Deps {
  return {
    prisma,
    now: options.now ?? Date.now,
    revokeClient: options.revokeClient ?? (async () => {
      throw new Error('this registry has no revoker: it cannot end a client\'s tokens');
    }),
    announceClientChange: options.announceClientChange ?? (async () => {}),
    revokeApiKey: options.revokeApiKey ?? (async () => {
      throw new Error('this registry has no revoker: it cannot tell the API an API key is revoked');
    }),
    defaultGraceSeconds: options.defaultGraceSeconds ?? 86_400,
  };
}

export function isUniqueViolation(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002';
}
