// Checks a presented consumer-secret against a client's stored hashes: the
// current one, and the one replaced by the last rotation while its grace
// period runs. Used wherever a secret is presented (the API's Basic fallback;
// the token endpoint may use it too).
// - Successful verifications are remembered in a small bounded cache, keyed by
//   consumer-key + an HMAC of the presented secret + the stored hash, so a
//   slow hash scheme is paid once per secret, and a rotated secret or changed
//   record misses by construction. `forget` drops a client's entries (call it
//   on the client's revocation).
// - An unknown client is checked against a dummy hash, so it costs what a
//   wrong secret costs and timing does not tell the two apart.
import { createHmac, randomBytes } from 'node:crypto';
import { generateConsumerSecret, hashSecret, verifySecret } from './credentials.ts';

export interface StoredSecrets {
  secretHash: string;
  previousSecretHash: string | null;
  previousSecretExpiresAt: Date | null;
}

export interface SecretVerifier {
  /** True when `presented` is the client's current secret, or its previous one within the grace period. */
  verify(consumerKey: string, presented: string, stored: StoredSecrets | undefined): Promise<boolean>;
  /** Drops every cached verification of the client. */
  forget(consumerKey: string): void;
}

export interface SecretVerifierOptions {
  /** Most cached verifications kept; the oldest go first. */
  maxEntries?: number;
  now?: () => number;
}

const dummyHash = hashSecret(generateConsumerSecret());

export function createSecretVerifier(options: SecretVerifierOptions = {}): SecretVerifier {
  const maxEntries = options.maxEntries ?? 1_000;
  const now = options.now ?? Date.now;
  // Only this process can compute the cache keys, so the cache holds nothing
  // that is worth anything outside it.
  const cacheKeyKey = randomBytes(32);
  /** cache key → valid until (ms; Infinity for the current secret) */
  const verified = new Map<string, number>();

  function cacheKey(consumerKey: string, presented: string, storedHash: string): string {
    const mac = createHmac('sha256', cacheKeyKey).update(presented, 'utf8').digest('base64url');
    return `${consumerKey}\0${mac}\0${storedHash}`;
  }

  function remember(key: string, until: number): void {
    if (verified.size >= maxEntries) verified.delete(verified.keys().next().value!);
    verified.set(key, until);
  }

  function check(consumerKey: string, presented: string, storedHash: string, until: number): boolean {
    const key = cacheKey(consumerKey, presented, storedHash);
    const cached = verified.get(key);
    if (cached !== undefined) {
      if (cached > now()) return true;
      verified.delete(key);
    }
    if (!verifySecret(presented, storedHash)) return false;
    remember(key, until);
    return true;
  }

  return {
    async verify(consumerKey, presented, stored) {
      if (!stored) {
        verifySecret(presented, dummyHash);
        return false;
      }
      if (check(consumerKey, presented, stored.secretHash, Infinity)) return true;
      const { previousSecretHash, previousSecretExpiresAt } = stored;
      if (!previousSecretHash || !previousSecretExpiresAt || previousSecretExpiresAt.getTime() <= now()) return false;
      return check(consumerKey, presented, previousSecretHash, previousSecretExpiresAt.getTime());
    },
    forget(consumerKey) {
      const prefix = `${consumerKey}\0`;
      for (const key of verified.keys()) if (key.startsWith(prefix)) verified.delete(key);
    },
  };
}
