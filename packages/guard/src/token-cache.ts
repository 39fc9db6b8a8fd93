// Verified access tokens, remembered so that a token presented again skips the
// ES256 signature check, the most expensive step of the guard. What it keeps:
// - only tokens the verifier accepted (a refused token is checked every time);
// - at most `maxEntries`, the least recently used going first, so a flood of
//   distinct tokens costs memory bounded by the limit;
// - each entry only until its token's `exp`: an expired token is verified
//   again, and so refused, never served from here.
// Revocation is not remembered: check-revocation runs after this on every
// request, against the live mirror.
import type { Principal } from './principal.ts';
import type { TokenVerifier } from './verify-token.ts';

export interface TokenCacheOptions {
  /** Entries kept at most (default 10 000, about 10 MB of tokens and principals). */
  maxEntries?: number;
  /** Epoch milliseconds; tests control it. */
  now?: () => number;
}

export function cachedVerifier(verify: TokenVerifier, options: TokenCacheOptions = {}): TokenVerifier {
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError('maxEntries must be an integer >= 1');
  // A Map iterates in insertion order: re-inserting on a hit makes the first key the least recently used.
  const verified = new Map<string, Principal>();

  return async function verifyCached(token) {
    const hit = verified.get(token);
    if (hit) {
      verified.delete(token);
      if (hit.expiresAt * 1000 > now()) {
        verified.set(token, hit);
        return hit;
      }
    }
    const principal = Object.freeze(await verify(token));
    if (principal.expiresAt * 1000 > now()) {
      if (verified.size >= maxEntries) verified.delete(verified.keys().next().value!);
      verified.set(token, principal);
    }
    return principal;
  };
}
