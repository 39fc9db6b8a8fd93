// Verified access tokens, remembered so that a token presented again skips the
// ES256 signature check, the most expensive step of the guard. What it keeps:
// - only tokens the verifier accepted (a refused token is checked every time);
// - at most `maxEntries`, the least recently used going first, so a flood of
//   distinct tokens costs memory bounded by the limit;
// - each entry only until its token's `exp`: an expired token is verified
//   again, and so refused, never served from here;
// - and no longer than `maxAgeSeconds` (the JWKS cache's max age): a token
//   is then verified against a fresh JWKS, so a signing key withdrawn from the
//   JWKS (a compromised key, retired by force) takes its tokens with it within
//   that time, as it does for tokens this process had not seen.
// Revocation is not remembered: check-revocation runs after this on every
// request, against the live mirror.
import type { Principal } from './principal.ts';
import type { TokenVerifier } from './verify-token.ts';

export interface TokenCacheOptions {
  /** Entries kept at most (default 10 000, about 10 MB of tokens and principals). */
  maxEntries?: number;
  /** Seconds a verification is trusted at most (default 300, the JWKS cache's default max age). */
  maxAgeSeconds?: number;
  /** Epoch milliseconds; tests control it. */
  now?: () => number;
}

export function cachedVerifier(verify: TokenVerifier, options: TokenCacheOptions = {}): TokenVerifier {
  const maxEntries = options.maxEntries ?? 10_000;
  const maxAge = (options.maxAgeSeconds ?? 300) * 1000;
  const now = options.now ?? Date.now;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError('maxEntries must be an integer >= 1');
  // A Map iterates in insertion order: re-inserting on a hit makes the first key the least recently used.
  const verified = new Map<string, { principal: Principal; until: number }>();

  return async function verifyCached(token) {
    const hit = verified.get(token);
    if (hit) {
      verified.delete(token);
      if (hit.until > now()) {
        verified.set(token, hit);
        return hit.principal;
      }
    }
    const principal = Object.freeze(await verify(token));
    const until = Math.min(principal.expiresAt * 1000, now() + maxAge);
    if (until > now()) {
      if (verified.size >= maxEntries) verified.delete(verified.keys().next().value!);
      verified.set(token, { principal, until });
    }
    return principal;
  };
}
