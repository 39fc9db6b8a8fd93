// Consumer-keys and consumer-secrets. The secret is 256 random bits, so a fast
// hash is as strong as a slow one here (there is nothing to brute-force) and
// keeps the token endpoint fast; passwords, which are guessable, get Argon2id
// elsewhere. Prefixes (`ck_`, `cs_`) let secret scanners recognise leaks.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const HASH_SCHEME = 'sha256';

export function generateConsumerKey(): string {
  return `ck_${randomBytes(16).toString('base64url')}`;
}

export function generateConsumerSecret(): string {
  return `cs_${randomBytes(32).toString('base64url')}`;
}

export function hashSecret(secret: string): string {
  return `${HASH_SCHEME}:${createHash('sha256').update(secret, 'utf8').digest('base64url')}`;
}

/** Constant-time comparison of a presented secret with a stored hash. */
export function verifySecret(presented: string, storedHash: string): boolean {
  const expected = Buffer.from(storedHash);
  const actual = Buffer.from(hashSecret(presented));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
